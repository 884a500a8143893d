import Foundation
import NotificationService
import Testing

/// SSRF protection: which push endpoints are registered and called.
@Suite("Push endpoint policy (SSRF)")
struct PushEndpointPolicyTests {
    struct StubResolver: HostResolver {
        var answers: [String: [String]]
        func addresses(of host: String) async -> [String] { answers[host] ?? [] }
    }

    @Test(
        "non-public addresses are refused",
        arguments: [
            "127.0.0.1", "127.8.9.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1",
            "::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1", "2001:db8::1", "not-an-ip",
        ]
    )
    func refusesNonPublic(address: String) {
        #expect(!PushAddressPolicy.isPublic(address))
    }

    @Test(
        "public addresses are allowed",
        arguments: [
            "8.8.8.8", "142.250.185.74", "172.32.0.1", "100.128.0.1", "2a00:1450:4001:80b::200a",
            "::ffff:8.8.8.8",
        ]
    )
    func allowsPublic(address: String) {
        #expect(PushAddressPolicy.isPublic(address))
    }

    @Test(
        "registration refuses endpoints that are not https or name a local or private host",
        arguments: [
            "http://fcm.googleapis.com/fcm/send/x", "ftp://push.example.net/x", "https://localhost/x",
            "https://127.0.0.1/x", "https://[::1]/x", "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.5:8443/x", "https://metadata.google.internal/x", "https://printer.local/x",
            "https://user:pw@push.example.net/x", "not a url", "/relative/path", "https:///x",
        ]
    )
    func refusesAtRegistration(endpoint: String) {
        #expect(throws: PushEndpointPolicy.Refusal.self) { try PushEndpointPolicy().validate(endpoint) }
    }

    @Test("registration accepts real push service endpoints; insecure mode accepts local http ones")
    func acceptsAtRegistration() throws {
        let policy = PushEndpointPolicy()
        for endpoint in [
            "https://fcm.googleapis.com/fcm/send/dXyZ:APA91b",
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
            "https://web.push.apple.com/QGx8", "https://8.8.8.8/x",
        ] {
            _ = try policy.validate(endpoint)
        }
        _ = try PushEndpointPolicy(allowInsecure: true).validate("http://127.0.0.1:8080/push/1")
    }

    @Test("at send time a host resolving to any private address is refused (DNS rebinding), a public one pinned")
    func refusesAtSendTime() async throws {
        let resolver = StubResolver(answers: [
            "push.example.net": ["93.184.216.34"],
            "rebind.example.net": ["93.184.216.34", "127.0.0.1"],
            "metadata.example.net": ["169.254.169.254"],
        ])
        let policy = PushEndpointPolicy()
        let good = try #require(URL(string: "https://push.example.net/x"))
        #expect(try await policy.vettedAddress(for: good, resolver: resolver) == "93.184.216.34")
        for host in ["rebind.example.net", "metadata.example.net"] {
            await #expect(throws: PushEndpointPolicy.Refusal.privateHost(host)) {
                try await policy.vettedAddress(for: try #require(URL(string: "https://\(host)/x")), resolver: resolver)
            }
        }
        await #expect(throws: PushEndpointPolicy.Refusal.unresolvable("nowhere.example.net")) {
            try await policy.vettedAddress(
                for: try #require(URL(string: "https://nowhere.example.net/x")), resolver: resolver)
        }
        // Insecure mode (tests, development) connects as the URL says.
        #expect(
            try await PushEndpointPolicy(allowInsecure: true).vettedAddress(
                for: try #require(URL(string: "http://127.0.0.1:1/x")), resolver: resolver) == nil)
    }
}
