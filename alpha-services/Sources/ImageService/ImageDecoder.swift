import Foundation
import ImageCodecs

/// Decodes images completely with the distribution's libraries (libjpeg-turbo, libpng, libwebp) to
/// prove they are what they claim and to learn their pixel size.
///
/// Bounded before allocation: the header's declared width × height must not exceed ``maxPixels``
/// (a decompression bomb declares huge dimensions in a few bytes). JPEG and PNG are then decoded a row
/// at a time; WebP into one buffer of 4 bytes per pixel.
public struct ImageDecoder: Sendable {
    /// The largest accepted width × height.
    public var maxPixels: Int

    public init(maxPixels: Int) {
        self.maxPixels = maxPixels
    }

    /// What a successful decode found.
    public struct Decoded: Sendable, Hashable {
        public var format: ImageFormat
        public var width: Int
        public var height: Int

        public init(format: ImageFormat, width: Int, height: Int) {
            self.format = format
            self.width = width
            self.height = height
        }
    }

    /// Why an image was refused.
    public enum Failure: Error, Hashable, Sendable {
        /// Not JPEG, PNG or WebP by its signature.
        case unsupportedFormat
        /// Truncated or corrupt.
        case corrupt(ImageFormat)
        /// Declared dimensions above ``ImageDecoder/maxPixels``.
        case tooManyPixels(ImageFormat)
        /// A valid file the service does not take (animated WebP).
        case unsupportedFeature(ImageFormat)
        /// The allocator refused.
        case outOfMemory
    }

    /// Decodes `data` completely; `row` (for tests) receives each decoded row of the final pass, top to
    /// bottom, in the library's output layout (not for interlaced PNG).
    public func decode(_ data: Data, row: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil) throws(Failure) -> Decoded {
        guard let format = ImageFormat(sniffing: data) else { throw .unsupportedFormat }
        var width: UInt32 = 0
        var height: UInt32 = 0
        let status = data.withUnsafeBytes { raw -> alpha_image_status in
            let bytes = raw.bindMemory(to: UInt8.self)
            let decode =
                switch format {
                case .jpeg: alpha_jpeg_decode
                case .png: alpha_png_decode
                case .webp: alpha_webp_decode
                }
            guard let row else {
                return decode(bytes.baseAddress, bytes.count, UInt64(maxPixels), &width, &height, nil, nil)
            }
            return withoutActuallyEscaping(row) { visit in
                var visitor = RowVisitor(visit: visit)
                return withUnsafeMutablePointer(to: &visitor) { context in
                    decode(
                        bytes.baseAddress, bytes.count, UInt64(maxPixels), &width, &height,
                        { context, row, length in
                            let visitor = context!.assumingMemoryBound(to: RowVisitor.self)
                            visitor.pointee.visit(UnsafeBufferPointer(start: row, count: length))
                        }, context)
                }
            }
        }
        switch status {
        case ALPHA_IMAGE_OK: return Decoded(format: format, width: Int(width), height: Int(height))
        case ALPHA_IMAGE_TOO_LARGE: throw .tooManyPixels(format)
        case ALPHA_IMAGE_UNSUPPORTED: throw .unsupportedFeature(format)
        case ALPHA_IMAGE_NO_MEMORY: throw .outOfMemory
        default: throw .corrupt(format)
        }
    }
}

private struct RowVisitor {
    let visit: (UnsafeBufferPointer<UInt8>) -> Void
}
