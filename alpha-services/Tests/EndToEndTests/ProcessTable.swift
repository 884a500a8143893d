import Foundation

/// The rows of `alpha-services/processes.tsv`, the one table of Alpha's processes that the scripts, the
/// Helm values and the docs also follow: the end-to-end tests start what it lists.
struct ProcessTable {
    struct Row {
        var process: String
        var kind: String
        /// The scripts' knob prefix; `<prefix>_SERVICE_URL` is where callers find a service.
        var prefix: String
        var schema: String?
    }

    let rows: [Row]

    /// The gateway and the services (not the database), in the table's order.
    var processes: [String] { rows.filter { $0.kind != "database" }.map(\.process) }
    /// The gRPC services.
    var services: [String] { rows.filter { $0.kind == "service" }.map(\.process) }
    /// The schema each process owns.
    var schemas: [String: String] {
        Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.schema.map { (row.process, $0) } })
    }

    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../processes.tsv").standardizedFileURL

    /// The table; a missing or malformed file stops the test run, naming it.
    static let shared: ProcessTable = {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            fatalError("cannot read the process table \(file.path)")
        }
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines.first.map { $0.split(separator: "\t").map(String.init) } ?? []
        guard let process = header.firstIndex(of: "process"), let kind = header.firstIndex(of: "kind"),
            let prefix = header.firstIndex(of: "prefix"), let schema = header.firstIndex(of: "schema")
        else { fatalError("\(file.path): the header needs the columns process, kind, prefix and schema") }
        let rows = lines.dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Row(
                process: fields[process], kind: fields[kind], prefix: fields[prefix],
                schema: fields[schema] == "-" ? nil : fields[schema])
        }
        return ProcessTable(rows: rows)
    }()
}
