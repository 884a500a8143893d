#!/usr/bin/env python3
"""Seed data for `make bench` from the socfb-Reed98 graph (bench/data/).

  seed.py users  EDGES            -> COPY data for user_service.users on stdout
  seed.py follows EDGES           -> COPY data for user_service.subscriptions (every edge both ways)
  seed.py tokens EDGES KEY.pem    -> "username token" lines: one access token per user, signed with
                                     the gateway's Ed25519 key (the claims of CONTRACT §3.1)

Users are named user0 … user961 after the graph's node ids. Every user has the same (unusable)
password hash: the bench never logs in, it signs tokens itself.
"""
import base64
import json
import random
import sys
import time
import uuid

# A bcrypt hash of a random password nobody knows (the column needs 60 characters).
PASSWORD_HASH = "$2b$10$" + "Q" * 53
AVATAR = ("https://getdrawings.com/free-icon/default-avatar-icon-62.png", 512, 512)


def read_edges(path):
    edges = []
    nodes = set()
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2 or parts[0].startswith("%"):
                continue
            a, b = int(parts[0]), int(parts[1])
            nodes.update((a, b))
            if a != b:
                edges.append((a, b))
    return sorted(nodes), edges


def username(node):
    return f"user{node}"


def users(path):
    nodes, _ = read_edges(path)
    out = sys.stdout
    for n in nodes:
        name = username(n)
        # username, nickname, email, password, status, picture_url, picture_width, picture_height,
        # created_at, activated_at
        out.write(
            f"{name}\tNick {n}\t{name}@bench.invalid\t{PASSWORD_HASH}\tbenchmark user\t"
            f"{AVATAR[0]}\t{AVATAR[1]}\t{AVATAR[2]}\t2026-01-01 00:00:00+00\t2026-01-01 00:00:00+00\n"
        )


def follows(path):
    _, edges = read_edges(path)
    rng = random.Random(98)
    seen = set()
    base = 1767225600  # 2026-01-01
    out = sys.stdout
    for a, b in edges:
        for follower, followee in ((a, b), (b, a)):
            if (follower, followee) in seen:
                continue
            seen.add((follower, followee))
            created = base + rng.randrange(0, 30 * 86400)
            ts = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(created))
            out.write(f"{uuid.UUID(int=rng.getrandbits(128), version=4)}\t{ts}\t{username(follower)}\t{username(followee)}\n")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def tokens(path, key_path):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    with open(key_path, "rb") as f:
        key = load_pem_private_key(f.read(), password=None)
    nodes, _ = read_edges(path)
    now = int(time.time())
    header = b64url(b'{"alg":"EdDSA","typ":"JWT"}')
    for n in nodes:
        name = username(n)
        claims = {
            "sub": name, "username": name, "refresh": False, "iss": "alpha-api-gateway",
            "aud": ["server-alpha"], "iat": now, "exp": now + 24 * 3600,
        }
        payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
        signature = b64url(key.sign(f"{header}.{payload}".encode()))
        print(f"{name} {header}.{payload}.{signature}")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "users":
        users(sys.argv[2])
    elif command == "follows":
        follows(sys.argv[2])
    elif command == "tokens":
        tokens(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"unknown command {command}")
