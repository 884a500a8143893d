#!/usr/bin/env bash
# `make generate` / `make check-generated`: the repository's committed protobuf/gRPC Swift code, through
# the kit's generator (alpha-shared/scripts/generate-grpc.sh: protoc, the plugins, the options).
# `--check` regenerates into temporary folders and fails when committed code differs.
# The plugins are built in debug into alpha-services' own build folder, where `make build`/`make test`
# have already compiled SwiftProtobuf: ~1.5 minutes the first time instead of ~6 for a separate release
# build, seconds afterwards. ALPHA_PROTOC_PLUGINS_BIN names a folder with prebuilt plugins instead, and
# ALPHA_PROTOC_PLUGINS_ARGS other build arguments (see generate-grpc.sh).
#   - alpha-shared/proto (grpc.health.v1)                   → alpha-shared/Sources/AlphaGRPC/Generated/
#   - alpha-services/proto/alpha/*/v1/*.proto                → alpha-services/Sources/AlphaContracts/Generated/
#   - alpha-shared/Tests/proto (docs/new-service.md's echo) → alpha-shared/Tests/AlphaSharedTests/Generated/
#   - examples/greeter-service/proto (a service in its own package) → its Sources/GreeterService/Generated/
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kit="$root/alpha-shared/scripts/generate-grpc.sh"

check=()
[[ "${1:-}" == "--check" ]] && check=(--check)

: "${ALPHA_PROTOC_PLUGINS_ARGS:=-c debug --scratch-path $root/alpha-services/.build}"
export ALPHA_PROTOC_PLUGINS_ARGS
ALPHA_PROTOC_PLUGINS_BIN="$(bash "$kit" --plugins-bin)"
export ALPHA_PROTOC_PLUGINS_BIN

status=0
bash "$kit" "${check[@]}" "$root/alpha-shared/proto" "$root/alpha-shared/Sources/AlphaGRPC/Generated" \
  grpc/health/v1/health.proto || status=1
bash "$kit" "${check[@]}" "$root/alpha-services/proto" "$root/alpha-services/Sources/AlphaContracts/Generated" || status=1
bash "$kit" "${check[@]}" "$root/alpha-shared/Tests/proto" "$root/alpha-shared/Tests/AlphaSharedTests/Generated" || status=1
bash "$kit" "${check[@]}" "$root/examples/greeter-service/proto" \
  "$root/examples/greeter-service/Sources/GreeterService/Generated" || status=1
exit "$status"
