#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Development keys, generated once (existing files are kept):
#
#   dev-keys.sh [DIR]     (default: .data/keys)
#
#   jwt-private.pem     Ed25519 private key, PKCS#8 PEM   (JWT_PRIVATE_KEY, gateway)
#   jwt-public.pem      Ed25519 public key, SPKI PEM      (JWT_PUBLIC_KEY, every process)
#   vapid-private.txt   P-256 private scalar, 32 bytes, unpadded base64url   (VAPID_PRIVATE_KEY)
#   vapid-public.txt    P-256 public point, 65 bytes uncompressed, base64url (VAPID_PUBLIC_KEY)
#   service-credential  32 random bytes as hex            (SERVICE_CREDENTIAL)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR="${1:-$KEYS_DIR}"
require_cmd openssl
mkdir -p "$DIR"
chmod 700 "$DIR"
umask 077

base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
hex_to_bytes() { printf '%b' "$(sed 's/../\\x&/g')"; }

if [[ ! -s "$DIR/jwt-private.pem" ]]; then
    info "generating JWT key pair (Ed25519) in $DIR"
    openssl genpkey -algorithm ed25519 -out "$DIR/jwt-private.pem"
    rm -f "$DIR/jwt-public.pem"
fi
if [[ ! -s "$DIR/jwt-public.pem" ]]; then
    openssl pkey -in "$DIR/jwt-private.pem" -pubout -out "$DIR/jwt-public.pem"
fi

if [[ ! -s "$DIR/vapid-private.txt" || ! -s "$DIR/vapid-public.txt" ]]; then
    info "generating VAPID key pair (P-256) in $DIR"
    pem="$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)"
    # DER of a P-256 key: the private scalar is the 32 bytes after `04 20` in the SEC1 structure;
    # the public key is the last 65 bytes of the SPKI DER (04 || X || Y).
    private_der="$(printf '%s\n' "$pem" | openssl ec -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \n')"
    scalar_hex="${private_der:14:64}"
    [[ "${private_der:10:4}" == 0420 && ${#scalar_hex} -eq 64 ]] || die "unexpected EC key encoding"
    public_hex="$(printf '%s\n' "$pem" | openssl ec -pubout -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \n' | tail -c 130)"
    [[ "${public_hex:0:2}" == 04 ]] || die "unexpected EC public key encoding"
    printf '%s' "$scalar_hex" | hex_to_bytes | base64url >"$DIR/vapid-private.txt"
    printf '%s' "$public_hex" | hex_to_bytes | base64url >"$DIR/vapid-public.txt"
fi

ensure_secret_file "$DIR/service-credential"

chmod 600 "$DIR/jwt-private.pem" "$DIR/vapid-private.txt" "$DIR/service-credential"
chmod 644 "$DIR/jwt-public.pem" "$DIR/vapid-public.txt"
ok "keys ready in $DIR"
