import Foundation
import Testing

/// docs/operations.md shows what the processes really emit: the metric names and label names of its
/// example `/metrics` block exist in the scraped `/metrics` of a running system, and its example log line
/// has the fields of a real `rpc finished` line.
@Suite("docs/operations.md against the running system", .serialized)
struct OperationsDocTests {
    static let document = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/operations.md")

    /// The first fenced block of `language` after the heading `section`.
    static func codeBlock(_ language: String, after section: String, in text: String) throws -> String {
        let afterHeading = try #require(text.range(of: "\n\(section)\n")).upperBound
        let open = try #require(text.range(of: "```\(language)\n", range: afterHeading..<text.endIndex))
        let close = try #require(text.range(of: "\n```", range: open.upperBound..<text.endIndex))
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// A sample line's metric name and label names: `name{a="1",b="2"} 3` → ("name", ["a", "b"]).
    static func series(_ line: Substring) -> (name: String, labels: Set<String>)? {
        guard let first = line.first, first != "#" else { return nil }
        let head = line.prefix { $0 != " " }
        guard let brace = head.firstIndex(of: "{") else { return (String(head), []) }
        let labels = head[head.index(after: brace)...].dropLast()
            .matches(of: try! Regex(#"(\w+)="(?:[^"\\]|\\.)*""#))
            .compactMap { $0.output[1].substring.map(String.init) }
        return (String(head[..<brace]), Set(labels))
    }

    @Test(
        "every metric (with its label names) in the doc's /metrics example exists in the processes' /metrics, and its log line has a real rpc finished line's fields"
    )
    func documentMatchesEmitted() async throws {
        let text = try String(contentsOf: Self.document, encoding: .utf8)
        let documented = try Self.codeBlock("text", after: "## Metrics", in: text).split(separator: "\n")
            .compactMap(Self.series)
        #expect(documented.count >= 5)
        let example = try Self.codeBlock("json", after: "## Logs", in: text)
        let exampleLine = try #require(
            try JSONSerialization.jsonObject(with: Data(example.utf8)) as? [String: Any])
        let exampleKeys = Set(exampleLine.keys)
        let exampleMetadataKeys = Set((exampleLine["metadata"] as? [String: Any] ?? [:]).keys)
        let exampleMessage = exampleLine["message"] as? String
        // The logger of a process's own lines is labelled with the process name: the example must say so.
        #expect(exampleLine["logger"] as? String == exampleLine["service"] as? String)

        try await withMailingSystem { client, system in
            // Traffic that makes every kind of metric appear: HTTP routes, RPCs, outbox and mail delivery.
            let token = try await client.activatedUser("alice")
            _ = try await client.call(.GET, "/api/users/alice", token: token)
            var scraped: [String: Set<Set<String>>] = [:]
            for name in RunningSystem.processes {
                for line in try await system.metrics(of: name).split(separator: "\n") {
                    if let (metric, labels) = Self.series(line) { scraped[metric, default: []].insert(labels) }
                }
            }
            for (metric, labels) in documented {
                #expect(
                    scraped[metric]?.contains(labels) == true,
                    "\(metric) with labels \(labels.sorted()) is not emitted; emitted: \(scraped[metric].map { $0.map { $0.sorted() } } ?? []), names: \(scraped.keys.sorted())"
                )
            }

            let emitted = system.log(of: "user-service").split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }.first { $0["message"] as? String == "rpc finished" }
            let line = try #require(emitted, "no rpc finished line in the user service's log")
            let keys = Set(line.keys)
            let metadataKeys = Set((line["metadata"] as? [String: Any] ?? [:]).keys)
            let message = line["message"] as? String
            let loggerIsService = line["logger"] as? String == line["service"] as? String
            #expect(keys == exampleKeys)
            #expect(metadataKeys == exampleMetadataKeys)
            #expect(message == exampleMessage)
            #expect(loggerIsService)
        }
    }
}
