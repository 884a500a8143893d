import AlphaCore
import AsyncHTTPClient
import Foundation
import Logging

/// The notification service's push configuration.
///
/// | variable | default |
/// |---|---|
/// | `VAPID_PRIVATE_KEY` (secret, **required**) | — the P-256 private scalar, 32 bytes, unpadded base64url |
/// | `VAPID_PUBLIC_KEY` | derived from the private key; if set it must match it |
/// | `VAPID_SUBJECT` | `mailto:team@mail.server-alpha.tech` (a `mailto:` or `https:` contact, D50) |
/// | `PUSH_TTL_SECONDS` | `300` |
/// | `PUSH_ALLOW_INSECURE_ENDPOINTS` | `false` (`true` allows `http` and private addresses: tests only) |
/// | `EXPO_API_BASE` | `https://exp.host` |
/// | `EXPO_ACCESS_TOKEN` (secret) | unset (only needed when the Expo project enforces push security) |
/// | `PUSH_MAX_ATTEMPTS` | `15` |
/// | `PUSH_POLL_SECONDS` | `1` |
/// | `PUSH_BACKOFF_BASE_SECONDS` / `PUSH_BACKOFF_MAX_SECONDS` | `2` / `900` |
/// | `PUSH_BATCH_SIZE` | `50` |
/// | `PUSH_LEASE_SECONDS` | `60` (must exceed `PUSH_SEND_TIMEOUT_SECONDS`) |
/// | `PUSH_SEND_TIMEOUT_SECONDS` | `10` |
/// | `PUSH_RETENTION_DAYS` | `7` |
public struct PushConfiguration: Sendable {
    public static let defaultSubject = "mailto:team@mail.server-alpha.tech"
    /// Defaults: about an hour of retries (15 attempts, 2 s doubling to 15 min) — a push is only worth
    /// delivering while it is fresh.
    public static let defaultDelivery = DeliveryConfiguration(
        maxAttempts: 15,
        backoff: RetryBackoff(base: .seconds(2), maximum: .seconds(900)),
        batchSize: 50,
        retention: .seconds(7 * 86_400)
    )

    public var vapid: VAPIDKey
    public var ttl: Int
    public var endpointPolicy: PushEndpointPolicy
    public var expoAPIBase: String
    public var expoAccessToken: String?
    public var delivery: DeliveryConfiguration

    public init(
        vapid: VAPIDKey,
        ttl: Int = 300,
        endpointPolicy: PushEndpointPolicy = PushEndpointPolicy(),
        expoAPIBase: String = ExpoPushSender.defaultAPIBase,
        expoAccessToken: String? = nil,
        delivery: DeliveryConfiguration = defaultDelivery
    ) {
        self.vapid = vapid
        self.ttl = ttl
        self.endpointPolicy = endpointPolicy
        self.expoAPIBase = expoAPIBase
        self.expoAccessToken = expoAccessToken
        self.delivery = delivery
    }

    /// Reads the configuration; a missing key or malformed value throws naming its variable.
    public init(settings: Settings) throws(ConfigurationError) {
        let subject = settings.string("vapid.subject", default: Self.defaultSubject)
        guard subject.hasPrefix("mailto:") || subject.hasPrefix("https://") else {
            throw .malformed(variable: "VAPID_SUBJECT", value: subject, expected: "a mailto: or https: URI")
        }
        let vapid = try VAPIDKey(
            privateKey: try settings.requiredString("vapid.private.key", isSecret: true),
            subject: subject)
        if let publicKey = settings.optionalString("vapid.public.key"),
            Base64URL.decode(publicKey) != Base64URL.decode(vapid.publicKey)
        {
            throw .invalid(variable: "VAPID_PUBLIC_KEY", reason: "does not belong to VAPID_PRIVATE_KEY")
        }
        let expoAPIBase = try validatedHTTPBase(
            settings.string("expo.api.base", default: ExpoPushSender.defaultAPIBase), variable: "EXPO_API_BASE")
        self.init(
            vapid: vapid,
            ttl: try settings.int("push.ttl.seconds", default: 300, range: 0...2_419_200),
            endpointPolicy: PushEndpointPolicy(
                allowInsecure: try settings.bool("push.allow.insecure.endpoints", default: false)),
            expoAPIBase: expoAPIBase,
            expoAccessToken: settings.optionalString("expo.access.token", isSecret: true),
            delivery: try DeliveryConfiguration(settings: settings, prefix: "push", defaults: Self.defaultDelivery)
        )
    }

    /// The web push sender.
    public func makeWebSender(logger: Logger) -> WebPushSender {
        WebPushSender(vapid: vapid, policy: endpointPolicy, ttl: ttl, timeout: delivery.sendTimeout, logger: logger)
    }

    /// The Expo sender.
    public func makeExpoSender(httpClient: HTTPClient = .shared, logger: Logger) -> ExpoPushSender {
        ExpoPushSender(
            apiBase: expoAPIBase, accessToken: expoAccessToken, httpClient: httpClient,
            timeout: delivery.sendTimeout, logger: logger)
    }
}
