import AlphaCore
import AlphaRuntime
import Foundation
import Testing

@Suite("Heap trimmer")
struct HeapTrimmerTests {
    #if os(Linux)
        @Test("freed memory spread over the heap is given back: malloc_trim reports a release")
        func trimReleasesFreedMemory() {
            #expect(HeapTrimmer.isSupported)
            // 20 MiB in 1 KiB blocks, every 64th kept: the free blocks lie between live ones, so free()
            // alone cannot shrink the heap from its top.
            var kept: [[UInt8]] = []
            var freed: [[UInt8]] = []
            for index in 0..<20_000 {
                let block = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 1000)
                if index % 64 == 0 { kept.append(block) } else { freed.append(block) }
            }
            freed = []
            #expect(HeapTrimmer.trimNow())
            #expect(kept.count == 313 && kept[1][0] == 64 && freed.isEmpty)
        }
    #endif

    @Test("the trimmer stops when its task is cancelled")
    func stopsOnCancellation() async throws {
        let trimmer = HeapTrimmer(interval: .milliseconds(10))
        let running = Task { try await trimmer.run() }
        try await Task.sleep(for: .milliseconds(50))
        running.cancel()
        try await running.value
    }

    @Test("HEAP_TRIM_INTERVAL_SECONDS must be 0 or a positive number of seconds")
    func invalidInterval() async {
        for value in ["-1", "often"] {
            let error = await #expect(throws: ConfigurationError.self, "\(value)") {
                try await ServiceProcess.runUntilShutdown(
                    name: "trim-test", settings: .dictionary(["HEAP_TRIM_INTERVAL_SECONDS": value]), defaultAdminPort: 1
                ) { _ in }
            }
            #expect(error?.variable == "HEAP_TRIM_INTERVAL_SECONDS", "\(value)")
        }
    }
}
