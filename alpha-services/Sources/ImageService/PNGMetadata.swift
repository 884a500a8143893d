/// PNG: drops `eXIf` (EXIF) and the text chunks `tEXt`, `zTXt`, `iTXt` (XMP lives in an iTXt chunk,
/// authors and comments in text chunks). Every other chunk is copied whole, CRC included; bytes after
/// IEND are dropped.
enum PNGMetadata {
    private static let dropped: Set<String> = ["eXIf", "tEXt", "zTXt", "iTXt"]

    /// The stripped file, or `nil` when the chunk structure is broken or IEND is missing.
    static func strip(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 8 else { return nil }
        var out = Array(bytes[0..<8])
        out.reserveCapacity(bytes.count)
        var index = 8
        while true {
            guard let length = bytes.uint32(at: index), index + 12 + length <= bytes.count else { return nil }
            let type = String(decoding: bytes[(index + 4)..<(index + 8)], as: UTF8.self)
            let end = index + 12 + length
            if !dropped.contains(type) {
                out += bytes[index..<end]
            }
            if type == "IEND" { return out }
            index = end
        }
    }
}
