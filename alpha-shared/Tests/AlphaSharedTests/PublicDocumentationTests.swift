import Foundation
import Testing

/// Every public declaration of the kit carries a `///` summary (docs/new-service.md points readers at them).
@Suite("Kit API documentation")
struct PublicDocumentationTests {
    /// `alpha-shared/Sources`.
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// `file:line: declaration` for every public declaration in `text` whose preceding line (above its
    /// attribute lines) is not a `///` comment.
    static func undocumented(in text: String, file: String) -> [String] {
        // A line that declares something `public` or `open` (attributes before it allowed), not an import.
        let declaration = try! Regex(#"^\s*(@[\w.]+(\([^)]*\))?\s+)*(public|open)(\([^)]*\))?\s"#)
        let publicImport = try! Regex(#"^\s*public\s+import\s"#)
        let attributeLine = try! Regex(#"^\s*@"#)
        let docLine = try! Regex(#"^\s*///"#)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [String] = []
        for (index, line) in lines.enumerated() {
            guard line.contains(declaration), !line.contains(publicImport) else { continue }
            var above = index - 1
            while above >= 0, lines[above].contains(attributeLine) { above -= 1 }
            if above < 0 || !lines[above].contains(docLine) {
                found.append("\(file):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        return found
    }

    @Test("the check finds an undocumented public declaration and accepts a documented one")
    func checkWorks() {
        let text = """
            /// Documented.
            @discardableResult
            public func documented() -> Int { 1 }

            public var undocumented: Int { 2 }
            public import Foundation
            """
        #expect(Self.undocumented(in: text, file: "x.swift") == ["x.swift:5: public var undocumented: Int { 2 }"])
    }

    @Test("every public declaration in alpha-shared/Sources (generated code aside) has a /// summary")
    func everyPublicDeclarationIsDocumented() throws {
        let enumerator = try #require(FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil))
        var checked = 0
        var missing: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" && !url.path.contains("/Generated/") {
            let text = try String(contentsOf: url, encoding: .utf8)
            let file = String(url.path.dropFirst(Self.sources.path.count + 1))
            checked += 1
            missing += Self.undocumented(in: text, file: file)
        }
        #expect(checked > 50, "found only \(checked) source files under \(Self.sources.path)")
        #expect(missing.isEmpty, "public declarations without ///:\n\(missing.joined(separator: "\n"))")
    }

    @Test("the README's module list names every library the kit's Package.swift declares")
    func readmeListsEveryModule() throws {
        let package = try String(
            contentsOf: Self.sources.deletingLastPathComponent().appendingPathComponent("Package.swift"),
            encoding: .utf8)
        let readme = try String(
            contentsOf: Self.sources.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("README.md"),
            encoding: .utf8)
        let libraries = package.matches(of: try Regex(#"\.library\(name: "(\w+)""#)).compactMap {
            $0.output[1].substring.map(String.init)
        }
        #expect(libraries.count >= 9)
        let layout = readme.components(separatedBy: "alpha-shared/").dropFirst().first ?? ""
        for library in libraries {
            #expect(layout.prefix(400).contains(library), "README's module list lacks \(library)")
        }
    }
}
