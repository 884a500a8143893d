/// WebP: drops the `EXIF` and `XMP ` chunks of an extended (VP8X) file and clears their flags in the
/// VP8X header; the RIFF size is recomputed. Bytes after the RIFF payload are dropped.
enum WebPMetadata {
    private static let exifFlag: UInt8 = 0x08, xmpFlag: UInt8 = 0x04

    /// The stripped file, or `nil` when the RIFF structure is broken.
    static func strip(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 12, let riffSize = bytes.uint32(at: 4, bigEndian: false), riffSize >= 4,
            8 + riffSize <= bytes.count
        else { return nil }
        let riffEnd = 8 + riffSize
        var out = Array(bytes[0..<12])
        out.reserveCapacity(riffEnd)
        var index = 12
        while index < riffEnd {
            guard let size = bytes.uint32(at: index + 4, bigEndian: false) else { return nil }
            let end = index + 8 + size + (size & 1)  // chunks are padded to an even size
            guard end <= riffEnd || (end == riffEnd + 1 && size & 1 == 1) else { return nil }
            let fourCC = String(decoding: bytes[index..<(index + 4)], as: UTF8.self)
            switch fourCC {
            case "EXIF", "XMP ":
                break
            case "VP8X":
                var chunk = Array(bytes[index..<min(end, bytes.count)])
                if chunk.count > 8 { chunk[8] &= ~(exifFlag | xmpFlag) }
                out += chunk
            default:
                out += bytes[index..<min(end, bytes.count)]
            }
            index = end
        }
        let size = out.count - 8
        out.replaceSubrange(4..<8, with: [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)])
        return out
    }
}
