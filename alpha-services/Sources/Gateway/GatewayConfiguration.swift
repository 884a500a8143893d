import AlphaCore
import Foundation

/// The gateway's own settings.
///
/// Configuration keys: `HTTP_HOST` (default `0.0.0.0`), `HTTP_PORT` (8080), `PUBLIC_BASE_URL`
/// (`http://localhost:8080/api`, picture URLs are built from it), `IMPRINT_TEXT` (the legal notice of
/// E01), `MAX_BODY_BYTES` (15 MiB: the routes that carry a picture, see ``BodyLimits``),
/// `MAX_TEXT_BODY_BYTES` (64 KiB: every other route), `HTTP_IDLE_TIMEOUT_SECONDS` (60: a connection with
/// no traffic, idle or stalled mid-request, is closed), `HTTP_READ_TIMEOUT_SECONDS` (30: the longest a
/// request body may take to arrive), `TRUSTED_PROXIES` (empty: comma-separated addresses or CIDR blocks
/// whose `X-Forwarded-For` names the client, see ``ClientAddressResolver``).
public struct GatewayConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var publicBaseURL: String
    public var imprintText: String
    public var maxBodyBytes: Int
    /// The body limit of every route that carries no picture.
    public var maxTextBodyBytes: Int
    /// How long a connection may see no traffic before it is closed.
    public var idleTimeout: Duration
    /// How long reading one request body may take.
    public var readTimeout: Duration
    /// Proxies whose `X-Forwarded-For` is believed.
    public var trustedProxies: [IPNetwork]

    /// The per-route body limits these settings make.
    public var bodyLimits: BodyLimits { BodyLimits(standard: maxTextBodyBytes, picture: maxBodyBytes) }

    public static let defaultImprint = """
        Impressum\nServer Alpha\nAngaben gemäß § 5 DDG\n\nDies ist eine Entwicklungsinstanz. \
        Den Betreiber dieser Installation erreichen Sie über die in der Konfiguration hinterlegte Adresse.
        """

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        publicBaseURL: String = "http://localhost:8080/api",
        imprintText: String = GatewayConfiguration.defaultImprint,
        maxBodyBytes: Int = BodyLimits.defaultPicture,
        maxTextBodyBytes: Int = BodyLimits.defaultStandard,
        idleTimeout: Duration = .seconds(60),
        readTimeout: Duration = .seconds(30),
        trustedProxies: [IPNetwork] = []
    ) {
        self.host = host
        self.port = port
        self.publicBaseURL = publicBaseURL
        self.imprintText = imprintText
        self.maxBodyBytes = maxBodyBytes
        self.maxTextBodyBytes = maxTextBodyBytes
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.trustedProxies = trustedProxies
    }

    public init(settings: Settings) throws(ConfigurationError) {
        var proxies: [IPNetwork] = []
        for entry in settings.string("trusted.proxies", default: "").split(separator: ",") {
            let text = entry.trimmingCharacters(in: .whitespaces)
            guard let network = IPNetwork(text) else {
                throw .malformed(variable: "TRUSTED_PROXIES", value: text, expected: "IP addresses or CIDR blocks")
            }
            proxies.append(network)
        }
        self.init(
            host: settings.string("http.host", default: "0.0.0.0"),
            port: try settings.port("http.port", default: 8080),
            publicBaseURL: settings.string("public.base.url", default: "http://localhost:8080/api"),
            imprintText: settings.string("imprint.text", default: Self.defaultImprint),
            maxBodyBytes: try settings.int(
                "max.body.bytes", default: BodyLimits.defaultPicture, range: 1024...(64 << 20)),
            maxTextBodyBytes: try settings.int(
                "max.text.body.bytes", default: BodyLimits.defaultStandard, range: 1024...(64 << 20)),
            idleTimeout: try settings.seconds("http.idle.timeout.seconds", default: .seconds(60)),
            readTimeout: try settings.seconds("http.read.timeout.seconds", default: .seconds(30)),
            trustedProxies: proxies
        )
    }
}
