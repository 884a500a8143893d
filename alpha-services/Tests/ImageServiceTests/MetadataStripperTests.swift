import Foundation
import ImageService
import ImageTestSupport
import Testing

/// Location and identity metadata leave the file; the pixels do not change.
@Suite struct MetadataStripperTests {
    let decoder = ImageDecoder(maxPixels: 40_000_000)

    /// Every decoded row of `data`, concatenated.
    func pixels(_ data: Data) throws -> [UInt8] {
        var all: [UInt8] = []
        _ = try decoder.decode(data) { row in all.append(contentsOf: row) }
        return all
    }

    func strip(_ data: Data) throws -> Data {
        let format = try #require(ImageFormat(sniffing: data))
        return Data(try MetadataStripper.strip(Array(data), format: format))
    }

    @Test(
        "the fixtures really carry GPS, maker note and XMP",
        arguments: [
            TestImages.jpegWithLocation(), TestImages.pngWithLocation(), TestImages.webpWithLocation(),
        ])
    func fixturesCarryMetadata(data: Data) throws {
        #expect(TestImages.contains(data, TestImages.gpsMarker))
        #expect(TestImages.contains(data, TestImages.makerNoteMarker))
        #expect(TestImages.contains(data, TestImages.xmpMarker))
        _ = try decoder.decode(data)  // and are valid images
    }

    @Test(
        "GPS, maker note, XMP and text chunks are removed; decoded pixels are identical",
        arguments: [
            ("JPEG", TestImages.jpegWithLocation()), ("PNG", TestImages.pngWithLocation()),
            ("WebP", TestImages.webpWithLocation()),
        ])
    func stripsAndKeepsPixels(name: String, data: Data) throws {
        let stripped = try strip(data)
        for marker in [
            TestImages.gpsMarker, TestImages.makerNoteMarker, TestImages.xmpMarker, TestImages.authorMarker,
            "SecretCam",
        ] {
            #expect(!TestImages.contains(stripped, marker), "\(name): \(marker) survived")
        }
        let before = try pixels(data)
        let after = try pixels(stripped)
        #expect(!before.isEmpty)
        #expect(before == after, "\(name): pixels changed")
        #expect(stripped.count < data.count)
    }

    @Test("a JPEG keeps its orientation in a minimal EXIF block, nothing else")
    func jpegOrientation() throws {
        let stripped = Array(try strip(TestImages.jpegWithLocation()))
        let exif = try #require(Data(stripped).range(of: Data("Exif\0\0".utf8)))
        // APP1 length (2 bytes before "Exif") = 2 + 6 + 26: header, IFD0 with one entry.
        let length = Int(stripped[exif.lowerBound - 2]) << 8 | Int(stripped[exif.lowerBound - 1])
        #expect(length == 34)
        let tiff = Array(stripped[(exif.lowerBound + 6)..<(exif.lowerBound + 32)])
        #expect(tiff[0..<2].elementsEqual("MM".utf8))
        #expect(tiff[10..<12] == [0x01, 0x12][...])  // the one tag: Orientation
        #expect(tiff[19] == 6)
    }

    /// The Orientation value of a minimal big-endian TIFF block as the stripper writes it (`nil` otherwise).
    func minimalOrientation(_ tiff: ArraySlice<UInt8>) -> UInt8? {
        let tiff = Array(tiff)
        guard tiff.count == 26, tiff[0..<2].elementsEqual("MM".utf8), tiff[8..<10] == [0, 1][...],
            tiff[10..<12] == [0x01, 0x12][...]
        else { return nil }
        return tiff[19]
    }

    @Test("a PNG keeps an orientation other than 1 in a minimal eXIf chunk (valid CRC), nothing else")
    func pngOrientation() throws {
        let original = TestImages.pngWithLocation(orientation: 6)
        let stripped = Array(try strip(original))
        let type = try #require(Data(stripped).range(of: Data("eXIf".utf8)))
        let length = stripped[(type.lowerBound - 4)..<type.lowerBound].reduce(0) { $0 << 8 | Int($1) }
        #expect(length == 26)
        let data = stripped[type.upperBound..<(type.upperBound + length)]
        #expect(minimalOrientation(data) == 6)
        let crc = stripped[(type.upperBound + length)..<(type.upperBound + length + 4)].reduce(UInt32(0)) {
            $0 << 8 | UInt32($1)
        }
        #expect(crc == CRC32.checksum(stripped[type.lowerBound..<(type.upperBound + length)]))
        for marker in [TestImages.gpsMarker, TestImages.makerNoteMarker, TestImages.xmpMarker, "SecretCam"] {
            #expect(!TestImages.contains(Data(stripped), marker))
        }
        #expect(try pixels(Data(stripped)) == pixels(original))
    }

    @Test("a WebP keeps an orientation other than 1 in a minimal EXIF chunk, its VP8X flag set, XMP's cleared")
    func webpOrientation() throws {
        let original = TestImages.webpWithLocation(orientation: 8)
        let stripped = Array(try strip(original))
        let type = try #require(Data(stripped).range(of: Data("EXIF".utf8)))
        let size = Int(stripped[type.upperBound]) | Int(stripped[type.upperBound + 1]) << 8
        #expect(size == 26)
        #expect(minimalOrientation(stripped[(type.upperBound + 4)..<(type.upperBound + 4 + size)]) == 8)
        #expect(stripped[20] & 0x0C == 0x08)  // EXIF announced, XMP not
        let riffSize = Int(stripped[4]) | Int(stripped[5]) << 8 | Int(stripped[6]) << 16 | Int(stripped[7]) << 24
        #expect(riffSize == stripped.count - 8)
        for marker in [TestImages.gpsMarker, TestImages.makerNoteMarker, TestImages.xmpMarker, "SecretCam"] {
            #expect(!TestImages.contains(Data(stripped), marker))
        }
        #expect(try pixels(Data(stripped)) == pixels(original))
    }

    @Test("a WebP's VP8X flags no longer announce EXIF or XMP, and the RIFF size is right")
    func webpHeader() throws {
        let stripped = Array(try strip(TestImages.webpWithLocation()))
        #expect(stripped[12..<16].elementsEqual("VP8X".utf8))
        #expect(stripped[20] & 0x0C == 0)
        let riffSize = Int(stripped[4]) | Int(stripped[5]) << 8 | Int(stripped[6]) << 16 | Int(stripped[7]) << 24
        #expect(riffSize == stripped.count - 8)
    }

    @Test(
        "files without metadata come out unchanged",
        arguments: [
            TestImages.jpeg(), TestImages.png(), TestImages.webp(), TestImages.webp(lossless: true),
        ])
    func cleanFilesUnchanged(data: Data) throws {
        #expect(try strip(data) == data)
    }

    @Test(
        "bytes appended after the image's end are dropped",
        arguments: [
            TestImages.jpeg(), TestImages.png(), TestImages.webp(),
        ])
    func trailingBytesDropped(data: Data) throws {
        #expect(try strip(data + TestImages.html) == data)
    }

    @Test(
        "a broken container structure is refused",
        arguments: [
            TestImages.truncated(TestImages.jpeg()), TestImages.truncated(TestImages.png()),
            TestImages.truncated(TestImages.webp()),
        ])
    func brokenStructure(data: Data) throws {
        #expect(throws: MetadataStripper.Malformed.self) { try strip(data) }
    }
}
