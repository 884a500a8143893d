// swift-tools-version: 6.1
import PackageDescription

/// alpha-services: the Alpha backend — protobuf contracts, one library per service, the REST gateway,
/// and one tiny executable per process. Built on the kit in ../alpha-shared.
let kit = "alpha-shared"

let package = Package(
    name: "alpha-services",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "api-gateway", targets: ["api-gateway"]),
        .executable(name: "user-service", targets: ["user-service"]),
        .executable(name: "post-service", targets: ["post-service"]),
        .executable(name: "notification-service", targets: ["notification-service"]),
        .executable(name: "image-service", targets: ["image-service"]),
        .executable(name: "alpha-token", targets: ["alpha-token"]),
    ],
    dependencies: [
        .package(path: "../alpha-shared"),
        // Re-declared because alpha-services imports them directly (same versions as alpha-shared).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
    ],
    targets: [
        // Generated protobuf + gRPC code (scripts/generate.sh; committed).
        .target(
            name: "AlphaContracts",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The contract's rules: error catalog, normalisation, validation, pagination (pure).
        .target(name: "AlphaDomain"),

        // Notifications through a service's outbox: the enqueue in the action's transaction, the relay topic.
        .target(
            name: "NotificationOutbox",
            dependencies: outboxDependencies + ["AlphaDomain"]
        ),
        // Picture changes through an owning service's outbox (the owner's save is the commit point).
        .target(
            name: "ImageOutbox",
            dependencies: outboxDependencies + [.product(name: "AlphaGRPC", package: kit)]
        ),

        // One library per service: handlers, storage, migrations. Tests import these.
        .target(
            name: "UserService",
            dependencies: serviceDependencies + [
                "NotificationOutbox", "ImageOutbox",
                .product(name: "AlphaOutbox", package: kit),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Migrations")]
        ),
        .target(
            name: "PostService",
            dependencies: serviceDependencies + [
                "NotificationOutbox", "ImageOutbox", .product(name: "AlphaOutbox", package: kit),
            ],
            resources: [.copy("Migrations")]
        ),
        .target(
            name: "NotificationService",
            dependencies: serviceDependencies + [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Migrations")]
        ),
        // Image decoders from the distribution's packages (libjpeg-turbo, libpng, libwebp), installed by
        // scripts/lib.sh (require_image_libraries) and the Dockerfile; ImageCodecs wraps them in C
        // because libjpeg and libpng report errors by longjmp.
        .systemLibrary(
            name: "CImageLibraries",
            providers: [.apt(["libjpeg-dev", "libpng-dev", "libwebp-dev"])]
        ),
        .target(
            name: "ImageCodecs",
            dependencies: ["CImageLibraries"],
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png"), .linkedLibrary("webp")]
        ),
        .target(
            name: "ImageService",
            dependencies: serviceDependencies + ["ImageCodecs"],
            resources: [.copy("Migrations")]
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "AlphaContracts", "AlphaDomain",
                .product(name: "AlphaCore", package: kit),
                .product(name: "AlphaAuth", package: kit),
                .product(name: "AlphaGRPC", package: kit),
                .product(name: "AlphaTelemetry", package: kit),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),

        // The processes: each main only wires configuration, handlers and the kit.
        .executableTarget(name: "api-gateway", dependencies: ["Gateway", runtime]),
        .executableTarget(
            name: "user-service",
            dependencies: ["UserService", "NotificationOutbox", runtime, .product(name: "AlphaOutbox", package: kit)]
        ),
        .executableTarget(
            name: "post-service",
            dependencies: ["PostService", "NotificationOutbox", runtime, .product(name: "AlphaOutbox", package: kit)]
        ),
        .executableTarget(name: "notification-service", dependencies: ["NotificationService", runtime]),
        .executableTarget(name: "image-service", dependencies: ["ImageService", runtime]),
        // Development only: prints a user token from the dev key (`make token USER=alice`).
        .executableTarget(name: "alpha-token", dependencies: ["Gateway", .product(name: "AlphaCore", package: kit)]),

        // Test support shared by the test targets: fakes of what cannot run here (Mailgun).
        .target(
            name: "AlphaServicesTesting",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/Support"
        ),
        // Test-only encoders (same libraries) so tests make real JPEG/PNG/WebP files.
        .target(
            name: "ImageTestEncoders",
            dependencies: ["CImageLibraries"],
            path: "Tests/ImageTestEncoders",
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png"), .linkedLibrary("webp")]
        ),
        .target(name: "ImageTestSupport", dependencies: ["ImageTestEncoders"], path: "Tests/ImageTestSupport"),
        .testTarget(name: "AlphaDomainTests", dependencies: ["AlphaDomain"]),
        .testTarget(
            name: "ImageServiceTests",
            dependencies: serviceTestDependencies + [
                "ImageService", "ImageTestSupport", "AlphaContracts", "AlphaDomain",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "AlphaDomain", "AlphaContracts", "UserService", "NotificationService", "PostService",
                "ImageService", "ImageTestSupport",
                .product(name: "AlphaTesting", package: kit),
                .product(name: "AlphaOutbox", package: kit),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AlphaAuth", package: kit),
                .product(name: "AlphaGRPC", package: kit),
                .product(name: "AlphaPostgres", package: kit),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "UserServiceTests",
            dependencies: serviceTestDependencies + [
                "UserService", "NotificationService", "NotificationOutbox", "AlphaContracts", "AlphaDomain",
                .product(name: "AlphaOutbox", package: kit),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PostServiceTests",
            dependencies: serviceTestDependencies + [
                "PostService", "UserService", "NotificationOutbox", "AlphaContracts", "AlphaDomain",
                .product(name: "AlphaAuth", package: kit),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "NotificationServiceTests",
            dependencies: [
                "NotificationService", "AlphaContracts", "AlphaServicesTesting",
                .product(name: "AlphaTesting", package: kit),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AlphaPostgres", package: kit),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "AlphaContracts", "AlphaServicesTesting", "ImageService", "ImageTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AlphaPostgres", package: kit),
                .product(name: "AlphaAuth", package: kit),
                .product(name: "AlphaTesting", package: kit),
                .product(name: "AlphaGRPC", package: kit),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
    ]
)

var runtime: Target.Dependency { .product(name: "AlphaRuntime", package: kit) }

/// What the outbox libraries build on (the enqueue in a transaction, the relay's delivery over gRPC).
var outboxDependencies: [Target.Dependency] {
    [
        "AlphaContracts",
        .product(name: "AlphaOutbox", package: kit),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
    ]
}

/// What the suites of the services use: the kit's test support, real PostgreSQL, in-process gRPC.
var serviceTestDependencies: [Target.Dependency] {
    [
        .product(name: "AlphaTesting", package: kit),
        .product(name: "AlphaCore", package: kit),
        .product(name: "AlphaGRPC", package: kit),
        .product(name: "AlphaPostgres", package: kit),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
    ]
}

var serviceDependencies: [Target.Dependency] {
    [
        "AlphaContracts", "AlphaDomain",
        .product(name: "AlphaCore", package: kit),
        .product(name: "AlphaAuth", package: kit),
        .product(name: "AlphaGRPC", package: kit),
        .product(name: "AlphaPostgres", package: kit),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
    ]
}
