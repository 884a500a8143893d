import AlphaServicesTesting
import NotificationService

extension FakeMailgun {
    /// Sender settings that point at this fake.
    var configuration: MailgunConfiguration {
        MailgunConfiguration(apiKey: apiKey, domain: domain, apiBase: apiBase)
    }
}
