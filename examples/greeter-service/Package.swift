// swift-tools-version: 6.1
// BEGIN example: package
import PackageDescription

/// greeter-service: a service in its own package, built on the Alpha kit (docs/new-service.md,
/// "A service in its own package"). `make test` generates, builds and tests it.
let kit = "alpha-shared"

let package = Package(
    name: "greeter-service",
    // The kit's platform line: its dependencies need macOS 15 (Linux has no such line).
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "greeter-service", targets: ["greeter-service"])
    ],
    dependencies: [
        // The kit, by path (or by URL and version once it is published).
        .package(path: "../../alpha-shared"),
        // Every package whose modules this package imports itself — the generated code imports
        // GRPCCore, GRPCProtobuf and SwiftProtobuf — at the kit's versions.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The handler, its storage and migrations, and the process wiring; Generated/ is written by
        // alpha-shared/scripts/generate-grpc.sh from proto/ and committed.
        .target(
            name: "GreeterService",
            dependencies: [
                .product(name: "AlphaCore", package: kit),
                .product(name: "AlphaAuth", package: kit),
                .product(name: "AlphaGRPC", package: kit),
                .product(name: "AlphaPostgres", package: kit),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Migrations")]
        ),
        .executableTarget(
            name: "greeter-service",
            dependencies: ["GreeterService", .product(name: "AlphaRuntime", package: kit)]
        ),
        .testTarget(
            name: "GreeterServiceTests",
            dependencies: [
                "GreeterService",
                .product(name: "AlphaCore", package: kit),
                .product(name: "AlphaGRPC", package: kit),
                .product(name: "AlphaTesting", package: kit),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
// END example: package
