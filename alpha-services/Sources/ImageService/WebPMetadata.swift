/// WebP: drops the `EXIF` and `XMP ` chunks of an extended (VP8X) file and clears their flags in the
/// VP8X header; the RIFF size is recomputed. Bytes after the RIFF payload are dropped. An EXIF orientation
/// other than 1 is kept, as an `EXIF` chunk holding only that tag (the EXIF flag then stays set).
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
        var flagsAt: Int?
        var keptOrientation = false
        while index < riffEnd {
            guard let size = bytes.uint32(at: index + 4, bigEndian: false) else { return nil }
            let end = index + 8 + size + (size & 1)  // chunks are padded to an even size
            guard end <= riffEnd || (end == riffEnd + 1 && size & 1 == 1) else { return nil }
            let fourCC = String(decoding: bytes[index..<(index + 4)], as: UTF8.self)
            switch fourCC {
            case "EXIF":
                // The payload is a TIFF block, by some writers prefixed with "Exif\0\0" as in JPEG.
                var tiff = Array(bytes[(index + 8)..<min(index + 8 + size, bytes.count)])
                if tiff.hasPrefix("Exif\0\0", at: 0) { tiff.removeFirst(6) }
                if !keptOrientation, let orientation = EXIFOrientation.read(tiff), orientation != 1 {
                    let kept = EXIFOrientation.tiff(orientation)
                    let length = kept.count
                    out += Array("EXIF".utf8) + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), 0, 0] + kept
                    keptOrientation = true
                }
            case "XMP ":
                break
            case "VP8X":
                var chunk = Array(bytes[index..<min(end, bytes.count)])
                if chunk.count > 8 {
                    chunk[8] &= ~(exifFlag | xmpFlag)
                    flagsAt = out.count + 8
                }
                out += chunk
            default:
                out += bytes[index..<min(end, bytes.count)]
            }
            index = end
        }
        if keptOrientation, let flagsAt { out[flagsAt] |= exifFlag }
        let size = out.count - 8
        out.replaceSubrange(
            4..<8, with: [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)])
        return out
    }
}
