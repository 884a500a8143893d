// swift-tools-version: 6.1
import PackageDescription

/// The benchmark's bare baseline: a Hummingbird 2 server answering a constant JSON body, to which
/// `make bench` compares the gateway (alpha-services/scripts/bench.sh). A package of its own so that
/// `make test` never builds it.
let package = Package(
    name: "alpha-bench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hello-server", targets: ["HelloServer"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "HelloServer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        )
    ]
)
