/// Removes metadata that can locate or identify a person — EXIF (GPS, maker notes, serial numbers),
/// XMP, IPTC, comments and text chunks — by cutting whole segments/chunks out of the container.
/// The compressed pixel data is copied byte for byte, so the decoded pixels are unchanged.
/// Bytes after the image's end marker (appended files, secondary MPF images) are dropped too.
///
/// A JPEG's EXIF orientation is harmless and needed to show the photo upright: it is kept, as a
/// minimal EXIF block holding only that tag.
public enum MetadataStripper {
    /// Thrown when the container structure is broken (the decoder would refuse the file anyway).
    public struct Malformed: Error, Hashable, Sendable {
        public let format: ImageFormat
    }

    /// `bytes` without identifying metadata.
    public static func strip(_ bytes: [UInt8], format: ImageFormat) throws(Malformed) -> [UInt8] {
        let stripped: [UInt8]? =
            switch format {
            case .jpeg: JPEGMetadata.strip(bytes)
            case .png: PNGMetadata.strip(bytes)
            case .webp: WebPMetadata.strip(bytes)
            }
        guard let stripped else { throw Malformed(format: format) }
        return stripped
    }
}

/// Big/little-endian reads with bounds checks (`nil` past the end).
extension Array where Element == UInt8 {
    func uint16(at offset: Int, bigEndian: Bool = true) -> Int? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        let (a, b) = (Int(self[offset]), Int(self[offset + 1]))
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    func uint32(at offset: Int, bigEndian: Bool = true) -> Int? {
        guard let high = uint16(at: bigEndian ? offset : offset + 2, bigEndian: bigEndian),
            let low = uint16(at: bigEndian ? offset + 2 : offset, bigEndian: bigEndian)
        else { return nil }
        return high << 16 | low
    }

    func hasPrefix(_ prefix: String, at offset: Int) -> Bool {
        let prefix = Array(prefix.utf8)
        guard offset >= 0, offset + prefix.count <= count else { return false }
        return self[offset..<offset + prefix.count].elementsEqual(prefix)
    }
}
