import AlphaCore

/// The gateway's own settings.
///
/// Configuration keys: `HTTP_HOST` (default `0.0.0.0`), `HTTP_PORT` (8080), `PUBLIC_BASE_URL`
/// (`http://localhost:8080/api`, picture URLs are built from it), `IMPRINT_TEXT` (the legal notice of
/// E01), `MAX_BODY_BYTES` (15 MiB).
public struct GatewayConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var publicBaseURL: String
    public var imprintText: String
    public var maxBodyBytes: Int

    public static let defaultImprint = """
        Impressum\nServer Alpha\nAngaben gemäß § 5 DDG\n\nDies ist eine Entwicklungsinstanz. \
        Den Betreiber dieser Installation erreichen Sie über die in der Konfiguration hinterlegte Adresse.
        """

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        publicBaseURL: String = "http://localhost:8080/api",
        imprintText: String = GatewayConfiguration.defaultImprint,
        maxBodyBytes: Int = 15 * 1024 * 1024
    ) {
        self.host = host
        self.port = port
        self.publicBaseURL = publicBaseURL
        self.imprintText = imprintText
        self.maxBodyBytes = maxBodyBytes
    }

    public init(settings: Settings) throws(ConfigurationError) {
        self.init(
            host: settings.string("http.host", default: "0.0.0.0"),
            port: try settings.port("http.port", default: 8080),
            publicBaseURL: settings.string("public.base.url", default: "http://localhost:8080/api"),
            imprintText: settings.string("imprint.text", default: Self.defaultImprint),
            maxBodyBytes: try settings.int("max.body.bytes", default: 15 * 1024 * 1024, range: 1024...(64 << 20))
        )
    }
}
