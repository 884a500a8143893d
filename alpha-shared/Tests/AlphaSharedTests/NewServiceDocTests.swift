import Foundation
import Testing

/// Keeps docs/new-service.md honest: its example blocks are the code this test target compiles and runs.
///
/// A fenced block of the doc takes part when one of its lines is a marker comment,
/// `// example: PATH#REGION` (or `-- example: PATH` in SQL), where PATH is relative to alpha-shared/Tests.
/// The lines after the marker must equal, byte for byte, the lines between `// BEGIN example: REGION` and
/// `// END example: REGION` of that file, with their common indentation removed — or the whole file when
/// there is no `#REGION`. Lines before the marker (imports of modules that only exist in alpha-services)
/// are not compared, and neither is a line that is exactly `@main` (a test target cannot declare it; in
/// a real executable's file it is skipped on both sides). PATH may leave the folder:
/// `../../examples/greeter-service/Package.swift` is the example package of the doc's section 11.
@Suite("docs/new-service.md matches the compiled example")
struct NewServiceDocTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let docURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../docs/new-service.md").standardizedFileURL

    struct Block {
        var path: String
        var region: String?
        var lines: [String]
    }

    static func docBlocks() throws -> [Block] {
        let doc = try String(contentsOf: docURL, encoding: .utf8)
        var blocks: [Block] = []
        var inFence = false
        var current: Block?
        for line in doc.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if inFence, let block = current { blocks.append(block) }
                inFence.toggle()
                current = nil
                continue
            }
            guard inFence else { continue }
            if current != nil {
                if line != "@main" { current?.lines.append(line) }
            } else if let marker = line.wholeMatch(of: /(?:\/\/|--) example: ([^#\s]+)(?:#(\S+))?/) {
                current = Block(path: String(marker.1), region: marker.2.map(String.init), lines: [])
            }
        }
        return blocks
    }

    static func sourceLines(path: String, region: String?) throws -> [String]? {
        let text = try String(contentsOf: testsFolder.appendingPathComponent(path), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        lines.removeAll { $0.trimmingCharacters(in: .whitespaces) == "@main" }
        guard let region else { return lines }
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = trimmed.firstIndex(of: "// BEGIN example: \(region)"),
            let end = trimmed.firstIndex(of: "// END example: \(region)"), begin < end
        else { return nil }
        let body = lines[(begin + 1)..<end]
        let indentation = body.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return body.map { $0.isEmpty ? $0 : String($0.dropFirst(indentation)) }
    }

    static func regionNames(in path: String) throws -> [String] {
        let text = try String(contentsOf: testsFolder.appendingPathComponent(path), encoding: .utf8)
        return text.components(separatedBy: "\n").compactMap { line in
            line.trimmingCharacters(in: .whitespaces).wholeMatch(of: /\/\/ BEGIN example: (\S+)/).map { String($0.1) }
        }
    }

    @Test("every example block of the doc is byte-identical to its compiled source")
    func blocksMatchSources() throws {
        let blocks = try Self.docBlocks()
        #expect(!blocks.isEmpty)
        for block in blocks {
            let name = block.path + (block.region.map { "#\($0)" } ?? "")
            let source = try #require(try Self.sourceLines(path: block.path, region: block.region), "\(name) not found")
            if block.lines != source {
                let firstDifference =
                    zip(block.lines, source).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(block.lines.count, source.count)
                Issue.record(
                    """
                    docs/new-service.md block \(name) differs from the source at its line \(firstDifference + 1):
                      doc:    \(firstDifference < block.lines.count ? block.lines[firstDifference] : "<end of block>")
                      source: \(firstDifference < source.count ? source[firstDifference] : "<end of region>")
                    """
                )
            }
        }
    }

    @Test("every example region of NewServiceExample.swift is shown in the doc")
    func everyRegionIsShown() throws {
        let shown = Set(
            try Self.docBlocks().filter { $0.path == "AlphaSharedTests/NewServiceExample.swift" }.compactMap(\.region))
        let regions = try Self.regionNames(in: "AlphaSharedTests/NewServiceExample.swift")
        #expect(regions.count >= 5)
        for region in regions {
            #expect(shown.contains(region), "region \(region) is not in docs/new-service.md")
        }
    }
}
