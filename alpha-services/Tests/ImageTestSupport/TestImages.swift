import Foundation
import ImageTestEncoders

/// Real image files made with the distribution's encoders (test-only C target ImageTestEncoders), plus
/// hand-made broken ones and files carrying location metadata. Shared by the image service and
/// end-to-end tests.
public enum TestImages {
    /// A smooth RGB pattern (compresses well: small files).
    public static func pattern(width: Int, height: Int) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let index = (y * width + x) * 3
                rgb[index] = UInt8(truncatingIfNeeded: x * 255 / max(1, width - 1))
                rgb[index + 1] = UInt8(truncatingIfNeeded: y * 255 / max(1, height - 1))
                rgb[index + 2] = UInt8(truncatingIfNeeded: (x + y) * 3)
            }
        }
        return rgb
    }

    /// Pseudo-random RGB (incompressible: files about as large as the pixels).
    public static func noise(width: Int, height: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        rgb.withUnsafeMutableBytes { raw in
            let words = raw.count / 8
            let pointer = raw.baseAddress!
            for index in 0..<words {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                pointer.storeBytes(of: state, toByteOffset: index * 8, as: UInt64.self)
            }
        }
        return rgb
    }

    public static func jpeg(width: Int = 64, height: Int = 48, quality: Int = 85, progressive: Bool = false) -> Data {
        encode {
            alpha_test_encode_jpeg(
                pattern(width: width, height: height), UInt32(width), UInt32(height), Int32(quality),
                progressive ? 1 : 0, &$0, &$1)
        }
    }

    public static func png(width: Int = 64, height: Int = 48, interlaced: Bool = false, rgb: [UInt8]? = nil) -> Data {
        let pixels = rgb ?? pattern(width: width, height: height)
        return encode { alpha_test_encode_png(pixels, UInt32(width), UInt32(height), interlaced ? 1 : 0, &$0, &$1) }
    }

    public static func webp(width: Int = 64, height: Int = 48, lossless: Bool = false) -> Data {
        encode {
            alpha_test_encode_webp(
                pattern(width: width, height: height), UInt32(width), UInt32(height), lossless ? 1 : 0, &$0, &$1)
        }
    }

    private static func encode(_ body: (inout UnsafeMutablePointer<UInt8>?, inout Int) -> Int32) -> Data {
        var pointer: UnsafeMutablePointer<UInt8>?
        var size = 0
        precondition(body(&pointer, &size) == 0 && pointer != nil, "test encoder failed")
        defer { alpha_test_free(pointer) }
        return Data(bytes: pointer!, count: size)
    }

    // MARK: - Refused kinds

    public static let gif = Data(
        [
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00,
            0x00,
            0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
            0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
        ])
    public static let svg = Data(
        #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#.utf8)
    public static let html = Data(
        "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>".utf8)

    /// The first `fraction` of `data`.
    public static func truncated(_ data: Data, keeping fraction: Double = 0.6) -> Data {
        data.prefix(Int(Double(data.count) * fraction))
    }

    /// A PNG whose IHDR declares `width` × `height` (valid CRC) followed by a tiny IDAT: a bomb.
    public static func pngBomb(width: UInt32 = 100_000, height: UInt32 = 100_000) -> Data {
        var bytes = Array(png(width: 8, height: 8))
        bytes.replaceSubrange(16..<20, with: bigEndian(width))
        bytes.replaceSubrange(20..<24, with: bigEndian(height))
        bytes.replaceSubrange(29..<33, with: bigEndian(CRC32.checksum(bytes[12..<29])))
        return Data(bytes)
    }

    /// A JPEG whose frame header declares 65000 × 65000 pixels.
    public static func jpegBomb() -> Data {
        var bytes = Array(jpeg(width: 16, height: 16))
        var index = 2
        while index + 9 < bytes.count {
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if marker == 0xC0 || marker == 0xC2 {
                bytes.replaceSubrange((index + 5)..<(index + 9), with: [0xFD, 0xE8, 0xFD, 0xE8])  // h, w = 65000
                break
            }
            index += 2 + length
        }
        return Data(bytes)
    }

    /// A lossy WebP whose VP8 frame header declares 16383 × 16383 pixels.
    public static func webpBomb() -> Data {
        var bytes = Array(webp(width: 16, height: 16))
        // RIFF(12) + "VP8 " chunk header (8) + frame tag (3) + start code (3) → width at 26, height at 28.
        precondition(bytes[12..<16].elementsEqual("VP8 ".utf8))
        bytes.replaceSubrange(26..<30, with: [0xFF, 0x3F, 0xFF, 0x3F])
        return Data(bytes)
    }

    /// A VP8X WebP flagged as animated with an ANIM chunk (valid, but not a still image).
    public static func animatedWebP() -> Data {
        let still = Array(webp(width: 16, height: 16))
        let frame = Array(still[12...])  // the "VP8 " chunk
        let vp8x = chunk("VP8X", [0x02, 0, 0, 0] + uint24(15) + uint24(15))  // animation flag
        let anim = chunk("ANIM", [0, 0, 0, 0, 0, 0])
        let anmfPayload = uint24(0) + uint24(0) + uint24(15) + uint24(15) + uint24(100) + [0] + frame
        return riff(vp8x + anim + chunk("ANMF", anmfPayload))
    }

    // MARK: - Metadata

    /// Text planted in the GPS block and maker note; none of it may survive.
    public static let gpsMarker = "GPS-49.4875N-8.4660E"
    public static let makerNoteMarker = "MAKERNOTE-SERIAL-0042"
    public static let xmpMarker = "XMP-CREATOR-JANE-DOE"
    public static let authorMarker = "AUTHOR-JANE-DOE"

    /// A JPEG with an EXIF block (orientation 6, camera make, maker note, GPS position) and an XMP packet.
    public static func jpegWithLocation() -> Data {
        let original = Array(jpeg(width: 64, height: 48))
        let exif = app1(Array("Exif\0\0".utf8) + tiffWithLocation(orientation: 6))
        let xmp = app1(Array("http://ns.adobe.com/xap/1.0/\0".utf8) + Array("<x:xmpmeta>\(xmpMarker)</x:xmpmeta>".utf8))
        // After SOI and the JFIF APP0 segment.
        let app0Length = Int(original[4]) << 8 | Int(original[5])
        let split = 4 + app0Length
        return Data(original[..<split] + exif + xmp + original[split...])
    }

    /// A PNG with eXIf (GPS, and `orientation`), an XMP iTXt chunk and an Author tEXt chunk.
    public static func pngWithLocation(orientation: UInt16 = 1) -> Data {
        let original = Array(png(width: 64, height: 48))
        let afterIHDR = 8 + 25
        let extra =
            pngChunk("eXIf", tiffWithLocation(orientation: orientation))
            + pngChunk("iTXt", Array("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>\(xmpMarker)</x:xmpmeta>".utf8))
            + pngChunk("tEXt", Array("Author\0\(authorMarker)".utf8))
        return Data(original[..<afterIHDR] + extra + original[afterIHDR...])
    }

    /// An extended WebP with EXIF (GPS, and `orientation`) and XMP chunks.
    public static func webpWithLocation(orientation: UInt16 = 1) -> Data {
        let still = Array(webp(width: 64, height: 48))
        let frame = Array(still[12...])
        let vp8x = chunk("VP8X", [0x0C, 0, 0, 0] + uint24(63) + uint24(47))  // EXIF + XMP flags
        let exif = chunk("EXIF", tiffWithLocation(orientation: orientation))
        let xmp = chunk("XMP ", Array("<x:xmpmeta>\(xmpMarker)</x:xmpmeta>".utf8))
        return riff(vp8x + frame + exif + xmp)
    }

    /// A little-endian TIFF block: IFD0 (Make, Orientation, EXIF and GPS pointers), an EXIF IFD with a
    /// maker note, a GPS IFD with latitude and a processing-method text.
    public static func tiffWithLocation(orientation: UInt16) -> [UInt8] {
        var out: [UInt8] = Array("II".utf8) + [0x2A, 0x00] + le32(8)
        let make = Array("SecretCam\0".utf8)
        let makerNote = Array(makerNoteMarker.utf8)
        let gpsText = Array(("ASCII\0\0\0" + gpsMarker).utf8)
        let ifd0Size = 2 + 4 * 12 + 4
        let makeOffset = 8 + ifd0Size
        let exifIFD = makeOffset + make.count
        let makerOffset = exifIFD + 2 + 12 + 4
        let gpsIFD = makerOffset + makerNote.count + (makerNote.count & 1)
        let rationals = gpsIFD + 2 + 3 * 12 + 4
        let gpsTextOffset = rationals + 24
        func entry(_ tag: UInt16, _ type: UInt16, _ count: Int, _ value: [UInt8]) -> [UInt8] {
            le16(tag) + le16(type) + le32(UInt32(count)) + value + [UInt8](repeating: 0, count: 4 - value.count)
        }
        out += le16(4)
        out += entry(0x010F, 2, make.count, le32(UInt32(makeOffset)))
        out += entry(0x0112, 3, 1, le16(orientation))
        out += entry(0x8769, 4, 1, le32(UInt32(exifIFD)))
        out += entry(0x8825, 4, 1, le32(UInt32(gpsIFD)))
        out += le32(0)
        out += make
        out += le16(1) + entry(0x927C, 7, makerNote.count, le32(UInt32(makerOffset))) + le32(0)
        out += makerNote + [UInt8](repeating: 0, count: makerNote.count & 1)
        out += le16(3)
        out += entry(0x0001, 2, 2, Array("N\0".utf8))
        out += entry(0x0002, 5, 3, le32(UInt32(rationals)))
        out += entry(0x001B, 7, gpsText.count, le32(UInt32(gpsTextOffset)))
        out += le32(0)
        out += le32(49) + le32(1) + le32(29) + le32(1) + le32(15) + le32(1)
        out += gpsText
        return out
    }

    // MARK: - Byte helpers

    public static func contains(_ data: Data, _ text: String) -> Bool {
        data.range(of: Data(text.utf8)) != nil
    }

    private static func app1(_ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    private static func pngChunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + payload
        return bigEndian(UInt32(payload.count)) + body + bigEndian(CRC32.checksum(body[...]))
    }

    private static func chunk(_ fourCC: String, _ payload: [UInt8]) -> [UInt8] {
        Array(fourCC.utf8) + le32(UInt32(payload.count)) + payload + (payload.count & 1 == 1 ? [0] : [])
    }

    private static func riff(_ chunks: [UInt8]) -> Data {
        Data(Array("RIFF".utf8) + le32(UInt32(chunks.count + 4)) + Array("WEBP".utf8) + chunks)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }

    private static func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    private static func uint24(_ value: Int) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF)]
    }
}

/// CRC-32 (IEEE) as PNG chunks use it.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
