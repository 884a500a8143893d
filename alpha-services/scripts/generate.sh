#!/usr/bin/env bash
# Regenerates the committed protobuf/gRPC Swift code (never the SwiftPM build plugin: it costs
# ~10 minutes per clean build). ALPHA_PROTOC_PLUGINS_BIN names a folder with plugins already built
# (protoc-gen-swift, protoc-gen-grpc-swift-2) and skips building them. `--check` regenerates into a temporary folder and fails when the
# committed code differs.
#   - alpha-shared/proto/grpc/health/v1/health.proto → alpha-shared/Sources/AlphaGRPC/Generated/
#   - alpha-services/proto/alpha/*/v1/*.proto       → alpha-services/Sources/AlphaContracts/Generated/
#   - alpha-shared/Tests/proto (docs/new-service.md's echo example) → alpha-shared/Tests/AlphaSharedTests/Generated/
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export SWIFT_DETERMINISTIC_HASHING=1

check=false
[[ "${1:-}" == "--check" ]] && check=true

if ! command -v protoc >/dev/null 2>&1; then
  echo "generate: installing protobuf-compiler"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
fi

plugins="$here/protoc-plugins"
if [[ -n "${ALPHA_PROTOC_PLUGINS_BIN:-}" ]]; then
  # Plugins already built elsewhere (for example by another checkout): skip the release build.
  bin="$ALPHA_PROTOC_PLUGINS_BIN"
else
  echo "generate: building protoc plugins (release, cached in $plugins/.build)"
  (cd "$plugins" && swift build -c release --product protoc-gen-swift >/dev/null &&
    swift build -c release --product protoc-gen-grpc-swift-2 >/dev/null)
  bin="$(cd "$plugins" && swift build -c release --show-bin-path)"
fi

generate() { # proto_root out_dir files...
  local proto_root="$1" out="$2"
  shift 2
  mkdir -p "$out"
  protoc --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
    -I "$proto_root" \
    --swift_out="$out" --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
    --grpc-swift-2_out="$out" \
    --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=PathToUnderscores \
    "$@"
}

shared_out="$root/alpha-shared/Sources/AlphaGRPC/Generated"
services_out="$root/alpha-services/Sources/AlphaContracts/Generated"
tests_out="$root/alpha-shared/Tests/AlphaSharedTests/Generated"
if $check; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  shared_target="$tmp/shared"
  services_target="$tmp/services"
  tests_target="$tmp/tests"
else
  rm -rf "$shared_out" "$services_out" "$tests_out"
  shared_target="$shared_out"
  services_target="$services_out"
  tests_target="$tests_out"
fi

(cd "$root/alpha-shared/proto" && generate . "$shared_target" grpc/health/v1/health.proto)
(cd "$root/alpha-services/proto" && generate . "$services_target" $(find alpha -name '*.proto' | sort))
(cd "$root/alpha-shared/Tests/proto" && generate . "$tests_target" $(find alpha -name '*.proto' | sort))

if $check; then
  if diff -r "$shared_target" "$shared_out" >/dev/null && diff -r "$services_target" "$services_out" >/dev/null &&
    diff -r "$tests_target" "$tests_out" >/dev/null; then
    echo "check-generated: committed code is up to date"
  else
    echo "check-generated: committed generated code is stale; run 'make generate' and commit" >&2
    diff -r "$shared_target" "$shared_out" || true
    diff -r "$services_target" "$services_out" || true
    diff -r "$tests_target" "$tests_out" || true
    exit 1
  fi
else
  echo "generate: wrote $shared_out, $services_out and $tests_out"
fi
