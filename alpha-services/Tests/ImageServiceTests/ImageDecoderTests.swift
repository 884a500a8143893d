import Foundation
import ImageService
import ImageTestSupport
import Testing

/// The decoder on real files of every accepted format, and on every refused kind.
@Suite struct ImageDecoderTests {
    let decoder = ImageDecoder(maxPixels: 40_000_000)

    @Test(
        "accepted formats decode completely with their pixel size",
        arguments: [
            ("baseline JPEG", TestImages.jpeg(width: 64, height: 48), ImageFormat.jpeg),
            ("progressive JPEG", TestImages.jpeg(width: 64, height: 48, progressive: true), .jpeg),
            ("PNG", TestImages.png(width: 64, height: 48), .png),
            ("interlaced PNG", TestImages.png(width: 64, height: 48, interlaced: true), .png),
            ("lossy WebP", TestImages.webp(width: 64, height: 48), .webp),
            ("lossless WebP", TestImages.webp(width: 64, height: 48, lossless: true), .webp),
        ])
    func acceptedFormats(name: String, data: Data, format: ImageFormat) throws {
        let decoded = try decoder.decode(data)
        #expect(decoded == ImageDecoder.Decoded(format: format, width: 64, height: 48), "\(name)")
    }

    @Test("the format comes from the bytes, not from a name or a declared type") func sniffing() {
        #expect(ImageFormat(sniffing: TestImages.png()) == .png)
        #expect(ImageFormat(sniffing: TestImages.gif) == nil)
        #expect(ImageFormat(sniffing: TestImages.svg) == nil)
        #expect(ImageFormat(sniffing: TestImages.html) == nil)
    }

    @Test(
        "other formats are refused",
        arguments: [
            ("GIF", TestImages.gif),
            ("SVG", TestImages.svg),
            ("HTML", TestImages.html),
        ])
    func otherFormats(name: String, data: Data) {
        #expect(throws: ImageDecoder.Failure.unsupportedFormat, "\(name)") { try decoder.decode(data) }
    }

    @Test(
        "truncated files are refused",
        arguments: [
            ("JPEG", TestImages.jpeg(width: 64, height: 48), ImageFormat.jpeg),
            ("progressive JPEG", TestImages.jpeg(width: 64, height: 48, progressive: true), .jpeg),
            ("PNG", TestImages.png(width: 64, height: 48), .png),
            ("lossy WebP", TestImages.webp(width: 64, height: 48), .webp),
            ("lossless WebP", TestImages.webp(width: 64, height: 48, lossless: true), .webp),
        ])
    func truncated(name: String, data: Data, format: ImageFormat) {
        #expect(throws: ImageDecoder.Failure.corrupt(format), "\(name)") {
            try decoder.decode(TestImages.truncated(data))
        }
    }

    @Test("a PNG with a damaged pixel chunk is refused") func damagedPNG() {
        var bytes = Array(TestImages.png(width: 64, height: 48))
        bytes[bytes.count - 20] ^= 0xFF  // inside the last IDAT: its CRC no longer matches
        #expect(throws: ImageDecoder.Failure.corrupt(.png)) { try decoder.decode(Data(bytes)) }
    }

    @Test(
        "decompression bombs are refused from their header",
        arguments: [
            ("PNG 100000²", TestImages.pngBomb(), ImageFormat.png),
            ("JPEG 65000²", TestImages.jpegBomb(), .jpeg),
            ("WebP 16383²", TestImages.webpBomb(), .webp),
        ])
    func bombs(name: String, data: Data, format: ImageFormat) {
        #expect(data.count < 2000, "a bomb is small")
        #expect(throws: ImageDecoder.Failure.tooManyPixels(format), "\(name)") { try decoder.decode(data) }
    }

    @Test("the pixel limit is inclusive") func pixelLimit() throws {
        let exact = ImageDecoder(maxPixels: 64 * 48)
        #expect(try exact.decode(TestImages.png(width: 64, height: 48)).width == 64)
        let below = ImageDecoder(maxPixels: 64 * 48 - 1)
        #expect(throws: ImageDecoder.Failure.tooManyPixels(.png)) {
            try below.decode(TestImages.png(width: 64, height: 48))
        }
    }

    @Test("an animated WebP is refused") func animatedWebP() {
        #expect(throws: ImageDecoder.Failure.unsupportedFeature(.webp)) {
            try decoder.decode(TestImages.animatedWebP())
        }
    }
}
