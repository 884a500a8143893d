/// The EXIF Orientation tag (0x0112): the one piece of EXIF the stripper keeps, because viewers rotate the
/// stored pixels by it — without it a photo taken upright shows turned. It says nothing about who or where.
enum EXIFOrientation {
    /// The Orientation tag of IFD0 in a TIFF block (the body of an EXIF block), when present and valid (1–8).
    static func read(_ tiff: [UInt8]) -> Int? {
        let bigEndian: Bool
        if tiff.hasPrefix("MM", at: 0) {
            bigEndian = true
        } else if tiff.hasPrefix("II", at: 0) {
            bigEndian = false
        } else {
            return nil
        }
        guard let ifd = tiff.uint32(at: 4, bigEndian: bigEndian),
            let entries = tiff.uint16(at: ifd, bigEndian: bigEndian)
        else { return nil }
        for entry in 0..<entries {
            let offset = ifd + 2 + entry * 12
            guard let tag = tiff.uint16(at: offset, bigEndian: bigEndian) else { return nil }
            if tag == 0x0112, tiff.uint16(at: offset + 2, bigEndian: bigEndian) == 3,
                let value = tiff.uint16(at: offset + 8, bigEndian: bigEndian), (1...8).contains(value)
            {
                return value
            }
        }
        return nil
    }

    /// A minimal big-endian TIFF block: IFD0 with only the Orientation tag (26 bytes).
    static func tiff(_ orientation: Int) -> [UInt8] {
        Array("MM".utf8) + [0x00, 0x2A, 0, 0, 0, 8]  // header, IFD0 at 8
            + [0, 1]  // one entry
            + [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, UInt8(orientation), 0, 0]  // Orientation, SHORT, 1 value
            + [0, 0, 0, 0]  // no next IFD
    }
}
