import Foundation

/// Which IP addresses a push request may go to: public unicast only.
///
/// Refused (IPv4): `0.0.0.0/8`, `10/8`, `100.64/10` (CGNAT), `127/8`, `169.254/16` (link-local, cloud
/// metadata `169.254.169.254`), `172.16/12`, `192.0.0/24`, `192.0.2/24`, `192.88.99/24`, `192.168/16`,
/// `198.18/15`, `198.51.100/24`, `203.0.113/24`, `224/4` (multicast), `240/4` (reserved, broadcast).
/// Refused (IPv6): `::`, `::1`, `fc00::/7` (unique local, incl. AWS metadata `fd00:ec2::254`),
/// `fe80::/10` (link-local), `fec0::/10` (site-local), `ff00::/8` (multicast), `100::/64` (discard),
/// `2001:db8::/32` (documentation), `2001::/32` (Teredo), and IPv4-mapped (`::ffff:0:0/96`),
/// IPv4-compatible, NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) addresses whose embedded IPv4
/// address is refused.
public enum PushAddressPolicy {
    /// Whether `address` (textual IPv4 or IPv6, no brackets) is a public unicast address.
    public static func isPublic(_ address: String) -> Bool {
        if let v4 = ipv4Bytes(address) { return isPublicIPv4(v4) }
        if let v6 = ipv6Bytes(address) { return isPublicIPv6(v6) }
        return false
    }

    /// Whether `text` is an IP address literal (not a host name).
    public static func isIPLiteral(_ text: String) -> Bool {
        ipv4Bytes(text) != nil || ipv6Bytes(text) != nil
    }

    static func isPublicIPv4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false
        case (100, 64...127, _): return false
        case (169, 254, _): return false
        case (172, 16...31, _): return false
        case (192, 0, 0), (192, 0, 2), (192, 88, 99), (192, 168, _): return false
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): return false
        case (224...255, _, _): return false
        default: return true
        }
    }

    static func isPublicIPv6(_ b: [UInt8]) -> Bool {
        let head = b.prefix(12)
        if head.allSatisfy({ $0 == 0 }) {
            // ::, ::1 and IPv4-compatible ::a.b.c.d
            return b[12] != 0 && isPublicIPv4(Array(b[12...]))
        }
        if head.prefix(10).allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff {
            return isPublicIPv4(Array(b[12...]))  // IPv4-mapped
        }
        if b[0...3] == [0x00, 0x64, 0xff, 0x9b], b[4...11].allSatisfy({ $0 == 0 }) {
            return isPublicIPv4(Array(b[12...]))  // NAT64
        }
        if b[0] == 0x20, b[1] == 0x02 {
            return isPublicIPv4(Array(b[2...5]))  // 6to4
        }
        if b[0] & 0xfe == 0xfc { return false }  // unique local
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 || b[1] & 0xc0 == 0xc0 { return false }  // link-local, site-local
        if b[0] == 0xff { return false }  // multicast
        if b[0...7] == [0x01, 0x00, 0, 0, 0, 0, 0, 0] { return false }  // discard
        if b[0...3] == [0x20, 0x01, 0x0d, 0xb8] { return false }  // documentation
        if b[0...3] == [0x20, 0x01, 0x00, 0x00] { return false }  // Teredo
        return true
    }

    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: address) { Array($0) }
    }

    static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: address) { Array($0) }
    }
}
