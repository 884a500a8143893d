#!/usr/bin/env bash
# generate-grpc.sh — the kit's code generator: Swift messages and gRPC services for any package's
# .proto files, with protoc and the plugins built from swift-protobuf and grpc-swift-protobuf (never
# the SwiftPM build plugin: it costs minutes on every clean build). The generated code is committed.
#
#   alpha-shared/scripts/generate-grpc.sh [--check] PROTO_DIR OUT_DIR [PROTO_FILE...]
#   alpha-shared/scripts/generate-grpc.sh --plugins-bin      # builds the plugins, prints their folder
#
#   PROTO_DIR   the import root (`-I`); PROTO_FILEs are relative to it. Without PROTO_FILEs, every
#               *.proto under PROTO_DIR.
#   OUT_DIR     replaced by the generated files (`<path_with_underscores>.pb.swift` and `.grpc.swift`,
#               public, server and client).
#   --check     generates into a temporary folder instead and fails (exit 1, with the diff) when
#               OUT_DIR differs from it: a CI check that the committed code is up to date.
#
# Tools: protoc comes from Debian's protobuf-compiler (installed with apt-get when missing). The two
# plugins are built once, in release, from the package next to this script (protoc-plugins/, pinned to
# the versions the kit is built with; cached in its .build folder, ~6 minutes the first time).
# Environment:
#   ALPHA_PROTOC_PLUGINS_BIN    a folder that already holds protoc-gen-swift and protoc-gen-grpc-swift-2:
#                               used as is, nothing is built.
#   ALPHA_PROTOC_PLUGINS_ARGS   extra arguments for building the plugins instead, e.g.
#                               "-c debug --scratch-path /abs/path/my-package/.build" to reuse a debug build
#                               folder that already holds SwiftProtobuf (what `make test` does).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export SWIFT_DETERMINISTIC_HASHING=1
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
  export PATH="$PATH:/opt/swift/usr/bin"
fi

usage() {
  echo "usage: $0 [--check] PROTO_DIR OUT_DIR [PROTO_FILE...] | $0 --plugins-bin" >&2
  exit 2
}
# protoc_plugins_bin — prints the folder holding both plugins, building them when needed.
protoc_plugins_bin() {
  if [[ -n "${ALPHA_PROTOC_PLUGINS_BIN:-}" ]]; then
    echo "$ALPHA_PROTOC_PLUGINS_BIN"
    return
  fi
  local args
  read -r -a args <<<"${ALPHA_PROTOC_PLUGINS_ARGS:--c release}"
  echo "generate-grpc: building the protoc plugins (swift build ${args[*]})" >&2
  (cd "$here/protoc-plugins" &&
    swift build "${args[@]}" --product protoc-gen-swift >&2 &&
    swift build "${args[@]}" --product protoc-gen-grpc-swift-2 >&2 &&
    swift build "${args[@]}" --show-bin-path)
}

if [[ "${1:-}" == "--plugins-bin" ]]; then
  protoc_plugins_bin
  exit
fi

check=false
if [[ "${1:-}" == "--check" ]]; then
  check=true
  shift
fi
[[ $# -ge 2 ]] || usage
proto_dir="$(cd "$1" && pwd)" || usage
out_dir="$2"
shift 2
protos=("$@")
if [[ ${#protos[@]} -eq 0 ]]; then
  mapfile -t protos < <(cd "$proto_dir" && find . -name '*.proto' | sed 's#^\./##' | LC_ALL=C sort)
fi
[[ ${#protos[@]} -gt 0 ]] || {
  echo "generate-grpc: no .proto files under $proto_dir" >&2
  exit 1
}

if ! command -v protoc >/dev/null 2>&1; then
  echo "generate-grpc: installing protobuf-compiler (apt-get)" >&2
  sudo=()
  [[ $EUID -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
fi

bin="$(protoc_plugins_bin)"
for plugin in protoc-gen-swift protoc-gen-grpc-swift-2; do
  [[ -x "$bin/$plugin" ]] || {
    echo "generate-grpc: $bin/$plugin not found" >&2
    exit 1
  }
done

target="$out_dir"
if $check; then
  target="$(mktemp -d)"
  trap 'rm -rf "$target"' EXIT
else
  rm -rf "$out_dir"
  mkdir -p "$out_dir"
  target="$(cd "$out_dir" && pwd)"
fi

(cd "$proto_dir" && protoc \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
  -I . \
  --swift_out="$target" --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
  --grpc-swift-2_out="$target" \
  --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=PathToUnderscores \
  "${protos[@]}")

if $check; then
  if diff -r "$target" "$out_dir" >/dev/null 2>&1; then
    echo "check-generated: $out_dir is up to date"
  else
    echo "check-generated: $out_dir is stale; regenerate it and commit:" >&2
    diff -r "$target" "$out_dir" >&2 || true
    exit 1
  fi
else
  echo "generate-grpc: wrote $out_dir"
fi
