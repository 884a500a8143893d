/// PNG: drops `eXIf` (EXIF) and the text chunks `tEXt`, `zTXt`, `iTXt` (XMP lives in an iTXt chunk,
/// authors and comments in text chunks). Every other chunk is copied whole, CRC included; bytes after
/// IEND are dropped. An EXIF orientation other than 1 is kept, as an `eXIf` chunk holding only that tag
/// (viewers rotate PNGs by it as they do JPEGs).
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
            } else if type == "eXIf", let orientation = EXIFOrientation.read(Array(bytes[(index + 8)..<(end - 4)])),
                orientation != 1
            {
                out += chunk("eXIf", EXIFOrientation.tiff(orientation))
            }
            if type == "IEND" { return out }
            index = end
        }
    }

    /// A chunk: length, type, data, CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let length = data.count
        let crc = crc32(body)
        return [
            UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF),
        ]
            + body + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    /// CRC-32 (ISO 3309, as PNG specifies it).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(0xFFFF_FFFF) { crc, byte in crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) } ^ 0xFFFF_FFFF
    }
}
