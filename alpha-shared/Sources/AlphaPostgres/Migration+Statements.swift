import Foundation

extension Migration {
    /// The SQL split into single statements (the extended query protocol runs one at a time).
    ///
    /// Splits on `;` outside quotes, dollar-quoted bodies (`$$ … $$`, `$tag$ … $tag$`) and comments.
    public var statements: [String] {
        var statements: [String] = []
        var current = ""
        var index = sql.startIndex
        var dollarTag: String?
        var inSingleQuote = false
        while index < sql.endIndex {
            let character = sql[index]
            let rest = sql[index...]
            if let tag = dollarTag {
                if rest.hasPrefix(tag) {
                    current += tag
                    index = sql.index(index, offsetBy: tag.count)
                    dollarTag = nil
                    continue
                }
            } else if inSingleQuote {
                if character == "'" { inSingleQuote = false }
            } else if rest.hasPrefix("--") {
                let end = rest.firstIndex(of: "\n") ?? sql.endIndex
                index = end
                continue
            } else if character == "'" {
                inSingleQuote = true
            } else if character == "$", let close = rest.dropFirst().firstIndex(of: "$"),
                rest[rest.index(after: rest.startIndex)..<close].allSatisfy({ $0.isLetter || $0 == "_" })
            {
                let tag = String(rest[rest.startIndex...close])
                current += tag
                index = sql.index(after: close)
                dollarTag = tag
                continue
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
                index = sql.index(after: index)
                continue
            }
            current.append(character)
            index = sql.index(after: index)
        }
        let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !statement.isEmpty { statements.append(statement) }
        return statements
    }
}
