#!/usr/bin/env bash
# Property-based contract test of a running Alpha gateway with Schemathesis.
#
# The gateway must already be running; this script starts nothing.
#
# Environment:
#   ALPHA_GATEWAY_URL      base URL of the running gateway, e.g. http://127.0.0.1:18080 (required)
#   JWT_PRIVATE_KEY_FILE   Ed25519 private key (PKCS#8 PEM) the gateway signs/verifies tokens with (required)
#   ALPHA_VENV             Python venv for the tools (default: $REPO_ROOT/.data/venv-schemathesis)
#   ALPHA_ST_USERNAME      optional: mint the token for this existing user instead of registering a new one
#   ALPHA_ST_REPORT_DIR    optional: report directory (default: $REPO_ROOT/.data/schemathesis-report)
#   PYTHON                 optional: interpreter used to create the venv (default: python3, needs >= 3.10)
#
# Steps: create/refresh the venv, register a throw-away user through the gateway (POST /api/users),
# mint a 24 h access token for it, run Schemathesis against $ALPHA_GATEWAY_URL/api/openapi.json.
# Exits non-zero when Schemathesis reports failures (or the 15 min hard timeout hits: 124).
set -euo pipefail

SCHEMATHESIS_VERSION="4.32.5"
CRYPTOGRAPHY_VERSION="50.0.2"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

: "${ALPHA_GATEWAY_URL:?set ALPHA_GATEWAY_URL to the running gateway, e.g. http://127.0.0.1:18080}"
: "${JWT_PRIVATE_KEY_FILE:?set JWT_PRIVATE_KEY_FILE to the gateway Ed25519 PKCS#8 PEM private key}"
ALPHA_VENV="${ALPHA_VENV:-$REPO_ROOT/.data/venv-schemathesis}"
REPORT_DIR="${ALPHA_ST_REPORT_DIR:-$REPO_ROOT/.data/schemathesis-report}"
PYTHON="${PYTHON:-python3}"
GATEWAY_URL="${ALPHA_GATEWAY_URL%/}"

if [[ ! -r "$JWT_PRIVATE_KEY_FILE" ]]; then
    echo "schemathesis.sh: cannot read JWT_PRIVATE_KEY_FILE=$JWT_PRIVATE_KEY_FILE" >&2
    exit 2
fi

# ---------------------------------------------------------------- venv
installed_version() {
    "$ALPHA_VENV/bin/python" - "$1" <<'PY' 2>/dev/null || true
import importlib.metadata, sys
try:
    print(importlib.metadata.version(sys.argv[1]))
except importlib.metadata.PackageNotFoundError:
    pass
PY
}

if [[ ! -x "$ALPHA_VENV/bin/python" ]]; then
    echo "==> creating venv $ALPHA_VENV"
    mkdir -p "$(dirname "$ALPHA_VENV")"
    "$PYTHON" -m venv "$ALPHA_VENV"
fi
if [[ "$(installed_version schemathesis)" != "$SCHEMATHESIS_VERSION" \
   || "$(installed_version cryptography)" != "$CRYPTOGRAPHY_VERSION" \
   || ! -x "$ALPHA_VENV/bin/schemathesis" ]]; then
    echo "==> installing schemathesis==$SCHEMATHESIS_VERSION cryptography==$CRYPTOGRAPHY_VERSION"
    "$ALPHA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" "cryptography==$CRYPTOGRAPHY_VERSION"
fi

# ---------------------------------------------------------------- test user + access token
# Registers a fresh user (unless ALPHA_ST_USERNAME is given) and prints an access token for it
# with the contract's claims (CONTRACT §3.1): EdDSA, sub/username, refresh=false,
# iss "alpha-api-gateway", aud ["server-alpha"], iat, exp = iat + 24 h.
TOKEN="$(
    GATEWAY_URL="$GATEWAY_URL" JWT_PRIVATE_KEY_FILE="$JWT_PRIVATE_KEY_FILE" \
    ALPHA_ST_USERNAME="${ALPHA_ST_USERNAME:-}" \
    "$ALPHA_VENV/bin/python" - <<'PY'
import base64, json, os, secrets, sys, time, urllib.error, urllib.request
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

gateway = os.environ["GATEWAY_URL"]
username = os.environ.get("ALPHA_ST_USERNAME") or "st_" + secrets.token_hex(6)  # 15 chars, R-USERNAME

def spec_has_registration():
    # Register only when the served description has the route: before the accounts routes exist
    # the token is minted for a user that does not exist, which the implemented routes never need.
    with urllib.request.urlopen(f"{gateway}/api/openapi.json", timeout=30) as response:
        spec = json.load(response)
    return "post" in spec.get("paths", {}).get("/api/users", {})

if not os.environ.get("ALPHA_ST_USERNAME") and spec_has_registration():
    payload = json.dumps({
        "username": username,
        "password": "Passw0rd!",
        "email": f"{username}@example.org",
        "nickname": "Schemathesis",
    }).encode()
    request = urllib.request.Request(
        f"{gateway}/api/users", data=payload, method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except OSError as error:
        sys.exit(f"schemathesis.sh: POST {gateway}/api/users failed: {error}")
    if status != 201:
        sys.exit(f"schemathesis.sh: registering {username} answered {status}: {body[:500]!r}")
    print(f"==> registered test user {username}", file=sys.stderr)
else:
    print(f"==> minting a token for {username} (not registered)", file=sys.stderr)

with open(os.environ["JWT_PRIVATE_KEY_FILE"], "rb") as f:
    key = load_pem_private_key(f.read(), password=None)
if not isinstance(key, Ed25519PrivateKey):
    sys.exit("schemathesis.sh: JWT_PRIVATE_KEY_FILE is not an Ed25519 private key")

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

def segment(obj) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())

now = int(time.time())
claims = {
    "sub": username,
    "username": username,
    "refresh": False,
    "iss": "alpha-api-gateway",
    "aud": ["server-alpha"],
    "iat": now,
    "exp": now + 24 * 3600,
}
signing_input = segment({"alg": "EdDSA", "typ": "JWT"}) + "." + segment(claims)
print(signing_input + "." + b64url(key.sign(signing_input.encode("ascii"))))
PY
)"

# ---------------------------------------------------------------- run
mkdir -p "$REPORT_DIR"
echo "==> schemathesis $SCHEMATHESIS_VERSION against $GATEWAY_URL/api/openapi.json (report: $REPORT_DIR)"
timeout 900 "$ALPHA_VENV/bin/schemathesis" run "$GATEWAY_URL/api/openapi.json" \
    --url "$GATEWAY_URL" \
    --header "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples 25 \
    --seed 20240726 \
    --workers 1 \
    --generation-database none --suppress-health-check=filter_too_much \
    --request-timeout 10 \
    --wait-for-schema 30 \
    --report junit \
    --report-dir "$REPORT_DIR" \
    --no-color
