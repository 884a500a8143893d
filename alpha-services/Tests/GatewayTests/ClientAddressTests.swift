import AlphaCore
import AlphaTesting
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Client address: socket peer, X-Forwarded-For only from trusted proxies")
struct ClientAddressTests {
    func resolver(_ proxies: String...) -> ClientAddressResolver {
        ClientAddressResolver(trustedProxies: proxies.map { IPNetwork($0)! })
    }

    @Test("without trusted proxies the peer is the client, whatever X-Forwarded-For says")
    func untrustedPeer() {
        let none = resolver()
        #expect(none.clientAddress(peer: "198.51.100.4", forwardedFor: ["203.0.113.1"]) == "198.51.100.4")
        let proxies = resolver("10.0.0.0/8")
        #expect(proxies.clientAddress(peer: "198.51.100.4", forwardedFor: ["203.0.113.1"]) == "198.51.100.4")
    }

    @Test(
        "from a trusted proxy the rightmost untrusted X-Forwarded-For hop is the client (a forged left part is ignored)"
    )
    func trustedChain() {
        let proxies = resolver("10.0.0.0/8", "fd00::/8", "192.0.2.10")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["203.0.113.1"]) == "203.0.113.1")
        #expect(
            proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 203.0.113.1", "192.0.2.10"])
                == "203.0.113.1")
        #expect(proxies.clientAddress(peer: "fd00::1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
        // Only trusted hops: the leftmost is the best we know.
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["10.9.9.9"]) == "10.9.9.9")
        // No header, or garbage: the proxy itself.
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: []) == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["not an address"]) == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "::ffff:10.1.2.3", forwardedFor: ["203.0.113.5"]) == "203.0.113.5")
    }

    @Test("TRUSTED_PROXIES is parsed strictly")
    func configuration() throws {
        let configuration = try GatewayConfiguration(
            settings: .dictionary(["TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1 ,fd00::/8"]))
        #expect(configuration.trustedProxies.count == 3)
        for bad in ["10.0.0.0/33", "example.org", "10.0.0/8", "fd00::/129"] {
            #expect(throws: (any Error).self) {
                try GatewayConfiguration(settings: .dictionary(["TRUSTED_PROXIES": bad]))
            }
        }
        let defaults = try GatewayConfiguration(settings: .dictionary([:]))
        #expect(defaults.trustedProxies.isEmpty && defaults.maxTextBodyBytes == 64 * 1024)
        #expect(defaults.maxBodyBytes == 15 * 1024 * 1024)
        #expect(defaults.idleTimeout == .seconds(60) && defaults.readTimeout == .seconds(30))
    }
}
