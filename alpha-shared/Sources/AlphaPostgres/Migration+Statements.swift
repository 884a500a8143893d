import Foundation

extension Migration {
    /// The SQL split into single statements (the extended query protocol runs one at a time).
    ///
    /// Splits on `;` outside string literals (`'…'`, `E'…'` with backslash escapes), quoted identifiers
    /// (`"…"`), dollar-quoted bodies (`$$ … $$`, `$tag$ … $tag$`) and comments (`-- …`, nested
    /// `/* … */`). Comments are dropped; statements are trimmed; empty statements are skipped.
    public var statements: [String] {
        let characters = Array(sql)
        var statements: [String] = []
        var current = ""
        var index = 0

        func character(at offset: Int) -> Character? {
            offset < characters.count ? characters[offset] : nil
        }
        func isIdentifierCharacter(_ character: Character?) -> Bool {
            guard let character else { return false }
            return character.isLetter || character.isNumber || character == "_" || character == "$"
        }
        func finishStatement() {
            let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty { statements.append(statement) }
            current = ""
        }
        /// The dollar-quote tag (`$$`, `$body$`) starting at `offset`, if one starts there.
        func dollarTag(at offset: Int) -> String? {
            guard !isIdentifierCharacter(offset > 0 ? characters[offset - 1] : nil) else { return nil }
            var end = offset + 1
            while let next = character(at: end), next != "$" {
                let allowed = next.isLetter || next == "_" || (next.isNumber && end > offset + 1)
                guard allowed else { return nil }
                end += 1
            }
            guard end < characters.count else { return nil }
            return String(characters[offset...end])
        }

        while index < characters.count {
            let here = characters[index]
            let next = character(at: index + 1)
            switch here {
            case "-" where next == "-":
                while let skipped = character(at: index), skipped != "\n" { index += 1 }
            case "/" where next == "*":
                var depth = 0
                repeat {
                    if characters[index] == "/", character(at: index + 1) == "*" {
                        depth += 1
                        index += 2
                    } else if characters[index] == "*", character(at: index + 1) == "/" {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < characters.count
                current.append(" ")
            case "'", "\"":
                let previous = index > 0 ? characters[index - 1] : nil
                let backslashEscapes =
                    here == "'" && (previous == "E" || previous == "e")
                    && !isIdentifierCharacter(index > 1 ? characters[index - 2] : nil)
                current.append(here)
                index += 1
                while let inside = character(at: index) {
                    current.append(inside)
                    index += 1
                    if backslashEscapes, inside == "\\", let escaped = character(at: index) {
                        current.append(escaped)
                        index += 1
                    } else if inside == here {
                        break  // a doubled quote ('' or "") reopens on the next iteration of the outer loop
                    }
                }
            case "$":
                guard let tag = dollarTag(at: index) else {
                    current.append(here)
                    index += 1
                    break
                }
                current += tag
                index += tag.count
                while index < characters.count {
                    if characters[index] == "$", characters[index...].starts(with: tag) {
                        current += tag
                        index += tag.count
                        break
                    }
                    current.append(characters[index])
                    index += 1
                }
            case ";":
                finishStatement()
                index += 1
            default:
                current.append(here)
                index += 1
            }
        }
        finishStatement()
        return statements
    }
}
