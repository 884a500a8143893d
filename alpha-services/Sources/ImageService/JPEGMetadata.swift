/// JPEG: drops APP1 (EXIF, XMP), APP13 (Photoshop/IPTC), APP2 multi-picture indexes and comments;
/// keeps everything else (JFIF, ICC profile, Adobe, tables, frames, scans) byte for byte.
enum JPEGMetadata {
    private static let soi: UInt8 = 0xD8, eoi: UInt8 = 0xD9, sos: UInt8 = 0xDA
    private static let app0: UInt8 = 0xE0, app1: UInt8 = 0xE1, app2: UInt8 = 0xE2, app13: UInt8 = 0xED
    private static let comment: UInt8 = 0xFE

    /// The stripped file, or `nil` when the segment structure is broken or the file ends before EOI.
    static func strip(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == soi else { return nil }
        var out: [UInt8] = [0xFF, soi]
        out.reserveCapacity(bytes.count)
        var insertAt = 2
        var orientation: Int?
        var index = 2
        var first = true
        while true {
            guard index + 1 < bytes.count, bytes[index] == 0xFF else { return nil }
            while index + 1 < bytes.count, bytes[index + 1] == 0xFF { index += 1 }  // fill bytes
            guard index + 1 < bytes.count else { return nil }
            let marker = bytes[index + 1]
            if marker == eoi {
                out += [0xFF, eoi]
                break
            }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 {  // no length
                out += [0xFF, marker]
                index += 2
                continue
            }
            guard let length = bytes.uint16(at: index + 2), length >= 2, index + 2 + length <= bytes.count else {
                return nil
            }
            let end = index + 2 + length
            let payload = index + 4
            switch marker {
            case app1:
                if bytes.hasPrefix("Exif\0\0", at: payload) {
                    orientation = orientation ?? EXIFOrientation.read(Array(bytes[(payload + 6)..<end]))
                }
            case app13, comment:
                break
            case app2 where bytes.hasPrefix("MPF\0", at: payload):
                break
            case sos:
                // The scan's entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or
                // a restart marker.
                var scan = end
                while scan + 1 < bytes.count {
                    if bytes[scan] == 0xFF, bytes[scan + 1] != 0x00, !(0xD0...0xD7).contains(bytes[scan + 1]) {
                        break
                    }
                    scan += 1
                }
                guard scan + 1 < bytes.count else { return nil }
                out += bytes[index..<scan]
                index = scan
                first = false
                continue
            default:
                out += bytes[index..<end]
                if first, marker == app0 { insertAt = out.count }
            }
            first = false
            index = end
        }
        if let orientation, orientation != 1 {
            out.insert(contentsOf: orientationSegment(orientation), at: insertAt)
        }
        return out
    }

    /// An APP1 segment with a minimal big-endian EXIF block: IFD0 with only the Orientation tag.
    static func orientationSegment(_ orientation: Int) -> [UInt8] {
        let payload = Array("Exif\0\0".utf8) + EXIFOrientation.tiff(orientation)
        let length = payload.count + 2
        return [0xFF, app1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }
}
