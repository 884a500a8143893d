#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# `make token USER=alice`: prints an access token for USERNAME on stdout, signed with the development
# key (.data/keys, made by dev-keys.sh / make run) under Alpha's token policy (export_token_policy), so
# you can call the REST API or a service by hand:
#
#   curl -H "Authorization: Bearer $(make -s token USER=alice)" localhost:8080/api/users/alice
#
#   token.sh USERNAME
# Uses the built alpha-token executable (make run builds it; built here when missing). Only the token
# goes to stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USERNAME="${1:-}"
[[ -n "$USERNAME" ]] || die "usage: make token USER=<username>"
"$SCRIPTS_DIR/dev-keys.sh" >&2
export_keys "$KEYS_DIR"
BIN_DIR="${ALPHA_BIN_DIR:-$SERVICES_DIR/.build/debug}"
if [[ ! -x "$BIN_DIR/alpha-token" ]]; then
    require_swift >&2
    info "building alpha-token" >&2
    (cd "$SERVICES_DIR" && swift build --product alpha-token >&2)
fi
"$BIN_DIR/alpha-token" "$USERNAME"
