import AlphaCore
import AlphaDomain

/// The image service's settings.
///
/// Configuration keys: `PUBLIC_BASE_URL` (default `http://localhost:8080/api`; picture URLs are
/// `<PUBLIC_BASE_URL>/images?image=<name>`), `IMAGE_MAX_BYTES` (7 MiB, the contract's limit on the
/// uploaded file), `IMAGE_MAX_PIXELS` (40,000,000: larger declared dimensions are refused before
/// decoding), `IMAGE_CONCURRENT_DECODES` (2: decodes running at once, which bounds decoder memory),
/// `IMAGE_PENDING_TTL_SECONDS` (900: uploads never committed or discarded are swept after this).
public struct ImageServiceConfiguration: Sendable {
    public var publicBaseURL: String
    public var maxImageBytes: Int
    public var maxPixels: Int
    public var concurrentDecodes: Int
    public var pendingTTL: Duration

    public init(
        publicBaseURL: String = "http://localhost:8080/api",
        maxImageBytes: Int = InlineImage.maxBytes,
        maxPixels: Int = 40_000_000,
        concurrentDecodes: Int = 2,
        pendingTTL: Duration = .seconds(900)
    ) {
        self.publicBaseURL = publicBaseURL
        self.maxImageBytes = maxImageBytes
        self.maxPixels = maxPixels
        self.concurrentDecodes = concurrentDecodes
        self.pendingTTL = pendingTTL
    }

    public init(settings: Settings) throws(ConfigurationError) {
        self.init(
            publicBaseURL: settings.string("public.base.url", default: "http://localhost:8080/api"),
            maxImageBytes: try settings.int("image.max.bytes", default: InlineImage.maxBytes, range: 1024...(15 << 20)),
            maxPixels: try settings.int("image.max.pixels", default: 40_000_000, range: 1...268_435_456),
            concurrentDecodes: try settings.int("image.concurrent.decodes", default: 2, range: 1...64),
            pendingTTL: try settings.seconds("image.pending.ttl.seconds", default: .seconds(900))
        )
    }

    /// `<PUBLIC_BASE_URL>/images?image=<name>`.
    public func url(forName name: String) -> String {
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/images?image=\(name)"
    }
}
