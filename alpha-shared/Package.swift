// swift-tools-version: 6.1
import PackageDescription

/// alpha-shared: the domain-agnostic kit every Alpha service stands on.
///
/// Each concern is its own product so a service imports only what it uses:
/// - `AlphaCore`: configuration, JSON logging, lifecycle, typed errors with catalog codes.
/// - `AlphaAuth`: Ed25519 JWT issuing/verification (on vapor/jwt-kit) and the internal service credential.
/// - `AlphaTelemetry`: Prometheus metrics and OTLP tracing bootstrap.
/// - `AlphaGRPC`: gRPC server/client, interceptors, grpc.health.v1.
/// - `AlphaPostgres`: pooled PostgreSQL client and the migration runner.
/// - `AlphaOutbox`: the transactional outbox (enqueue in your transaction, a relay delivers after commit)
///   and the receiver's "each message id once" inbox.
/// - `AlphaHTTPAdmin`: the admin HTTP server (`/metrics`, `/health/live`, `/health/ready`).
/// - `AlphaRuntime`: `ServiceProcess.run`, the one-call process runner that wires all of the above.
/// - `AlphaTesting`: real PostgreSQL for tests, in-process services, config from a dictionary.
let package = Package(
    name: "alpha-shared",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AlphaCore", targets: ["AlphaCore"]),
        .library(name: "AlphaAuth", targets: ["AlphaAuth"]),
        .library(name: "AlphaTelemetry", targets: ["AlphaTelemetry"]),
        .library(name: "AlphaGRPC", targets: ["AlphaGRPC"]),
        .library(name: "AlphaPostgres", targets: ["AlphaPostgres"]),
        .library(name: "AlphaHTTPAdmin", targets: ["AlphaHTTPAdmin"]),
        .library(name: "AlphaRuntime", targets: ["AlphaRuntime"]),
        .library(name: "AlphaTesting", targets: ["AlphaTesting"]),
        .library(name: "AlphaOutbox", targets: ["AlphaOutbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-service-context", from: "1.5.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        .target(
            name: "AlphaCore",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "AlphaAuth",
            dependencies: [
                "AlphaCore",
                .product(name: "Crypto", package: "swift-crypto"),
                // PEM/DER of Ed25519 keys (PKCS#8, SPKI).
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .target(
            name: "AlphaTelemetry",
            dependencies: [
                "AlphaCore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "AlphaGRPC",
            dependencies: [
                "AlphaCore",
                "AlphaAuth",
                "AlphaTelemetry",
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "AlphaPostgres",
            dependencies: [
                "AlphaCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "AlphaOutbox",
            dependencies: [
                "AlphaCore",
                "AlphaPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "AlphaHTTPAdmin",
            dependencies: [
                "AlphaCore",
                "AlphaTelemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "AlphaRuntime",
            dependencies: [
                "AlphaCore",
                "AlphaTelemetry",
                "AlphaHTTPAdmin",
                "AlphaGRPC",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AlphaTesting",
            dependencies: [
                "AlphaCore",
                "AlphaPostgres",
                "AlphaGRPC",
                "AlphaAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Tests/AlphaSharedTests/Generated holds the example contract of docs/new-service.md
        // (Tests/proto/alpha/echo/v1/echo.proto); Migrations is that example's migration folder.
        .testTarget(
            name: "AlphaSharedTests",
            dependencies: [
                "AlphaCore", "AlphaAuth", "AlphaTelemetry", "AlphaGRPC", "AlphaPostgres", "AlphaHTTPAdmin",
                "AlphaRuntime", "AlphaTesting", "AlphaOutbox",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            resources: [.copy("Migrations")]
        ),
    ]
)
