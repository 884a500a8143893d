/// The accepted image formats, recognised by their signature (the declared type is never trusted).
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png
    case webp

    /// The file extension in stored names (`<owner>.<ext>`).
    public var fileExtension: String { rawValue }

    /// `image/jpeg`, `image/png`, `image/webp`.
    public var contentType: String { "image/\(rawValue)" }

    /// The format whose signature `bytes` start with; `nil` for anything else (GIF, SVG, HTML, …).
    public init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(16))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.count >= 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8) {
            self = .webp
        } else {
            return nil
        }
    }
}
