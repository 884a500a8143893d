import Foundation

/// Turns an uploaded file into what gets stored: refuses anything but a complete JPEG, PNG or WebP
/// within the limits, and strips identifying metadata (``MetadataStripper``).
///
/// The stripped copy is the one decoded, so what is stored is exactly what was proven to decode. At most
/// `concurrentDecodes` decodes run at once (each may hold a buffer proportional to the pixel count), so
/// the memory for decoding stays bounded however many uploads arrive together.
public struct ImageIntake: Sendable {
    /// A validated image, ready to store.
    public struct Accepted: Sendable {
        public var format: ImageFormat
        public var width: Int
        public var height: Int
        /// The original bytes minus identifying metadata.
        public var bytes: [UInt8]
    }

    /// Why an upload was refused (all answer 400 ERR-001).
    public enum Refusal: Error, Hashable, Sendable {
        case empty
        case tooLarge(bytes: Int)
        case decoding(ImageDecoder.Failure)
    }

    public let maxBytes: Int
    public let decoder: ImageDecoder
    private let gate: DecodeGate

    public init(configuration: ImageServiceConfiguration) {
        self.maxBytes = configuration.maxImageBytes
        self.decoder = ImageDecoder(maxPixels: configuration.maxPixels)
        self.gate = DecodeGate(permits: configuration.concurrentDecodes)
    }

    /// Validates and strips `data`.
    public func accept(_ data: Data) async throws -> Accepted {
        guard !data.isEmpty else { throw Refusal.empty }
        guard data.count <= maxBytes else { throw Refusal.tooLarge(bytes: data.count) }
        guard let format = ImageFormat(sniffing: data) else { throw Refusal.decoding(.unsupportedFormat) }
        let stripped: [UInt8]
        do {
            stripped = try MetadataStripper.strip(Array(data), format: format)
        } catch {
            throw Refusal.decoding(.corrupt(format))
        }
        let decoder = self.decoder
        let decoded = try await gate.run {
            do throws(ImageDecoder.Failure) {
                return try decoder.decode(Data(stripped))
            } catch {
                throw Refusal.decoding(error)
            }
        }
        return Accepted(format: decoded.format, width: decoded.width, height: decoded.height, bytes: stripped)
    }
}
