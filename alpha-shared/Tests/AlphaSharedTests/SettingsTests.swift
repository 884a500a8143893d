import AlphaAuth
import AlphaCore
import AlphaGRPC
import AlphaPostgres
import AlphaTesting
import Testing

@Suite("Settings and configuration errors")
struct SettingsTests {
    enum Colour: String, CaseIterable { case red, green }

    @Test("a key's environment variable is the key upper-cased with dots turned into underscores")
    func variableNames() {
        #expect(Settings.variableName(for: "grpc.port") == "GRPC_PORT")
        #expect(Settings.variableName(for: "postgres.pool.size") == "POSTGRES_POOL_SIZE")
    }

    @Test("Settings.dictionary reads environment-style names")
    func dictionaryUsesEnvironmentNames() throws {
        let settings = Settings.dictionary(["GRPC_PORT": "6000", "LOG_LEVEL": "debug", "ADMIN_HOST": "127.0.0.1"])
        #expect(try settings.port("grpc.port", default: 50051) == 6000)
        #expect(settings.string("log.level", default: "info") == "debug")
        #expect(settings.optionalString("admin.host") == "127.0.0.1")
    }

    @Test("unset and empty values fall back to the defaults")
    func defaultsWhenUnset() throws {
        let settings = Settings.dictionary(["EMPTY_VALUE": ""])
        #expect(try settings.int("some.count", default: 7) == 7)
        #expect(try settings.port("grpc.port", default: 50051) == 50051)
        #expect(try settings.seconds("rpc.timeout.seconds", default: .seconds(3)) == .seconds(3))
        #expect(try settings.bool("feature.on", default: true) == true)
        #expect(try settings.choice("colour", default: Colour.green) == .green)
        #expect(settings.string("empty.value", default: "fallback") == "fallback")
        #expect(settings.optionalString("empty.value") == nil)
    }

    @Test("well-formed values are parsed")
    func wellFormedValues() throws {
        let settings = Settings.dictionary([
            "COUNT": " 42 ", "TIMEOUT": "1.5", "ON": "yes", "OFF": "0", "COLOUR": "RED",
        ])
        #expect(try settings.int("count", default: 0) == 42)
        #expect(try settings.seconds("timeout", default: .seconds(3)) == .milliseconds(1500))
        #expect(try settings.bool("on", default: false) == true)
        #expect(try settings.bool("off", default: true) == false)
        #expect(try settings.choice("colour", default: Colour.green) == .red)
    }

    @Test("a required value that is unset or empty is .missing naming the variable")
    func missingRequired() throws {
        for variables in [[:], ["SERVICE_CREDENTIAL": ""]] {
            let error = #expect(throws: ConfigurationError.self) {
                try Settings.dictionary(variables).requiredString("service.credential", isSecret: true)
            }
            #expect(error == .missing(variable: "SERVICE_CREDENTIAL"))
        }
    }

    @Test("PostgreSQL settings without POSTGRES_PASSWORD stop with one line naming it")
    func missingPostgresPassword() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try PostgresSettings(settings: .dictionary(["POSTGRES_HOST": "db"]), defaultSchema: "user_service")
        }
        let unwrapped = try #require(error)
        #expect(unwrapped == .missing(variable: "POSTGRES_PASSWORD"))
        #expect(unwrapped.description == "configuration error: POSTGRES_PASSWORD is required but not set")
        #expect(!unwrapped.description.contains("\n"))
    }

    @Test(
        "a malformed value is .malformed naming the variable, never the default",
        arguments: [
            ("GRPC_PORT", "fifty"),  // not an integer
            ("GRPC_PORT", "70000"),  // out of the port range
            ("GRPC_PORT", "0"),
            ("RPC_TIMEOUT_SECONDS", "soon"),
            ("RPC_TIMEOUT_SECONDS", "-1"),
            ("RPC_TIMEOUT_SECONDS", "inf"),
            ("FEATURE_ON", "maybe"),
            ("COLOUR", "blue"),
        ]
    )
    func malformed(variable: String, value: String) throws {
        let settings = Settings.dictionary([variable: value])
        let error = #expect(throws: ConfigurationError.self) {
            switch variable {
            case "GRPC_PORT": _ = try settings.port("grpc.port", default: 50051)
            case "RPC_TIMEOUT_SECONDS": _ = try settings.seconds("rpc.timeout.seconds", default: .seconds(3))
            case "FEATURE_ON": _ = try settings.bool("feature.on", default: false)
            default: _ = try settings.choice("colour", default: Colour.green)
            }
        }
        let unwrapped = try #require(error)
        guard case .malformed(let named, let got, _) = unwrapped else {
            Issue.record("expected .malformed, got \(unwrapped)")
            return
        }
        #expect(named == variable)
        #expect(got == value)
        #expect(unwrapped.description.hasPrefix("configuration error: \(variable) must be "))
        #expect(!unwrapped.description.contains("\n"))
    }

    @Test("a malformed integer names the expected range")
    func malformedIntegerNamesRange() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try Settings.dictionary(["POSTGRES_POOL_SIZE": "900"]).int(
                "postgres.pool.size", default: 20, range: 1...500)
        }
        #expect(
            error == .malformed(variable: "POSTGRES_POOL_SIZE", value: "900", expected: "an integer in 1...500")
        )
    }

    @Test("an unusable identity setting is .invalid naming the variable")
    func invalidIdentitySettings() throws {
        let identity = TestIdentity()
        let badKey = #expect(throws: ConfigurationError.self) {
            try TokenVerifier.fromSettings(.dictionary(["JWT_PUBLIC_KEY": "not a pem"]))
        }
        #expect(badKey?.variable == "JWT_PUBLIC_KEY")
        // A private key where the public one belongs is refused too.
        let privateInstead = #expect(throws: ConfigurationError.self) {
            try TokenVerifier.fromSettings(.dictionary(["JWT_PUBLIC_KEY": identity.privateKeyPEM]))
        }
        #expect(privateInstead?.variable == "JWT_PUBLIC_KEY")
        let shortCredential = #expect(throws: ConfigurationError.self) {
            try ServiceCredential.fromSettings(.dictionary(["SERVICE_CREDENTIAL": "short"]))
        }
        #expect(shortCredential == .invalid(variable: "SERVICE_CREDENTIAL", reason: "must be at least 16 characters"))
        let noPolicy = #expect(throws: ConfigurationError.self) {
            try TokenVerifier.fromSettings(.dictionary(["JWT_PUBLIC_KEY": identity.publicKeyPEM]))
        }
        #expect(noPolicy == .missing(variable: "TOKEN_ISSUER"))
        _ = try TokenVerifier.fromSettings(.dictionary(identity.environment))
    }

    @Test("the token policy is the installation's: TOKEN_ISSUER and TOKEN_AUDIENCE required, lifetimes with defaults")
    func tokenPolicy() throws {
        let required = ["TOKEN_ISSUER": "example-gateway", "TOKEN_AUDIENCE": "example-app"]
        let defaults = try TokenPolicy(settings: .dictionary(required))
        #expect(defaults.issuer == "example-gateway" && defaults.audience == "example-app")
        #expect(defaults.accessLifetime == .seconds(900) && defaults.refreshLifetime == .seconds(30 * 86_400))
        let alpha = try TokenPolicy(
            settings: .dictionary(
                required.merging(["ACCESS_TOKEN_TTL_SECONDS": "86400", "REFRESH_TOKEN_TTL_SECONDS": "604800"]) { $1 }))
        #expect(alpha.accessLifetime == .seconds(86_400) && alpha.refreshLifetime == .seconds(604_800))
        #expect(try TokenPolicy(settings: .dictionary(alpha.environment)) == alpha)
        #expect(throws: ConfigurationError.missing(variable: "TOKEN_AUDIENCE")) {
            try TokenPolicy(settings: .dictionary(["TOKEN_ISSUER": "x"]))
        }
        let malformed = #expect(throws: ConfigurationError.self) {
            try TokenPolicy(settings: .dictionary(required.merging(["ACCESS_TOKEN_TTL_SECONDS": "a day"]) { $1 }))
        }
        #expect(malformed?.variable == "ACCESS_TOKEN_TTL_SECONDS")
        let shorter = #expect(throws: ConfigurationError.self) {
            try TokenPolicy(
                settings: .dictionary(
                    required.merging(["ACCESS_TOKEN_TTL_SECONDS": "600", "REFRESH_TOKEN_TTL_SECONDS": "60"]) { $1 }))
        }
        #expect(shorter?.variable == "REFRESH_TOKEN_TTL_SECONDS")
    }

    @Test("a peer address that is not host:port names its variable")
    func malformedPeerAddress() throws {
        let settings = Settings.dictionary([
            "USER_SERVICE_URL": "http://users", "SERVICE_CREDENTIAL": String(repeating: "s", count: 32),
        ])
        let error = #expect(throws: ConfigurationError.self) {
            try GRPCClientService(settings: settings, urlKey: "user.service.url", defaultTarget: "127.0.0.1:50051")
        }
        #expect(error?.variable == "USER_SERVICE_URL")
    }

    @Test("POSTGRES_SCHEMA must be a plain identifier")
    func malformedSchema() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try PostgresSettings(
                settings: .dictionary(["POSTGRES_SCHEMA": "users; DROP TABLE x", "POSTGRES_PASSWORD": "pw"]),
                defaultSchema: "user_service"
            )
        }
        #expect(error?.variable == "POSTGRES_SCHEMA")
    }

    @Test("PostgreSQL settings take their documented defaults")
    func postgresDefaults() throws {
        let settings = try PostgresSettings(
            settings: .dictionary(["POSTGRES_PASSWORD": "pw"]),
            defaultSchema: "user_service"
        )
        #expect(settings.host == "127.0.0.1")
        #expect(settings.port == 5433)
        #expect(settings.database == "alpha")
        #expect(settings.user == "user_service")
        #expect(settings.schema == "user_service")
        #expect(settings.poolSize == 8)
        #expect(settings.tls == .disable)
    }
}
