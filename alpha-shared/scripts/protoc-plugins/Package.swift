// swift-tools-version: 6.1
// Builds the two protoc plugins that generate-grpc.sh runs (protoc-gen-swift, protoc-gen-grpc-swift-2), at the
// versions alpha-shared is built with. Not part of the product.
import PackageDescription

let package = Package(
    name: "protoc-plugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
    ]
)
