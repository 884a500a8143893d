import AlphaCore
import AlphaRuntime
import Testing

@Suite("DRAIN_DELAY_SECONDS")
struct DrainDelaySettingTests {
    @Test("a drain delay that is not less than the grace period, or not a number of seconds, stops the start")
    func invalidDrainDelay() async {
        let cases: [[String: String]] = [
            ["DRAIN_DELAY_SECONDS": "10"],
            ["DRAIN_DELAY_SECONDS": "3", "SHUTDOWN_GRACE_SECONDS": "2"],
            ["DRAIN_DELAY_SECONDS": "-1"],
            ["DRAIN_DELAY_SECONDS": "soon"],
        ]
        for variables in cases {
            let error = await #expect(throws: ConfigurationError.self, "\(variables)") {
                try await ServiceProcess.runUntilShutdown(
                    name: "drain-test", settings: .dictionary(variables), defaultAdminPort: 1
                ) { _ in }
            }
            #expect(error?.variable == "DRAIN_DELAY_SECONDS", "\(variables)")
        }
    }
}
