"""Parts of the fault drills (drill.sh starts the system and injects the faults; this file is the rest).

Python standard library only, so `make drill` runs from a clean clone with nothing installed:

  drill.py mailgun --port P --key K           a fake Mailgun speaking Mailgun's send API
                                              (POST /v3/{domain}/messages, basic auth api:KEY,
                                              form fields from/to/subject/text/html) on 127.0.0.1;
                                              POST /_drill/outage?seconds=N makes it answer 503 for
                                              N seconds; GET /_drill/mails lists what it accepted
  drill.py setup --gateway URL --mailgun URL --state FILE --users N
                                              registers and activates N users (the ones that log in
                                              and read profiles under load)
  drill.py load --gateway URL --state FILE --out FILE --seconds S --tag T [--stop-file F]
                                              steady load: registrations, logins, profile reads;
                                              bounded in time and count, loopback only; one JSON
                                              line per request
  drill.py report --drill NAME --results FILE --mailgun URL --psql PSQL ...
                                              prints the drill's figures and exits 1 when data was
                                              lost or a request outlived its deadline

Figures per drill: requests sent, answers by status (per operation), the slowest request against
the deadline, and the losses: registrations answered 201 without an account in the database,
accounts without a delivered activation mail (after a settle period). Registrations that failed
although the account was stored ("ambiguous": the client was told no, the data says yes) are
shown, not counted as lost: the account exists and its mail must still arrive. With --no-errors
(drills whose fault is on no request's path) any answer but 2xx fails the drill. Orphan mails (a
code mailed for an account that was not stored: the two did not succeed or fail together) fail the
drill like a loss; duplicate mails (at-least-once delivery) are shown.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSWORD = "Drill-Pass1!"
CODE = re.compile(r"\b(\d{6})\b")
DOMAIN = "drill.example"
ADDRESS = re.compile(r"([A-Za-z0-9._-]+)@drill\.example")


# ---------------------------------------------------------------------------------------------
# Fake Mailgun


class MailgunState:
    def __init__(self, key: str):
        self.key = key
        self.lock = threading.Lock()
        self.mails: list[dict] = []
        self.outage_until = 0.0
        self.answers = Counter()

    def in_outage(self) -> bool:
        return time.monotonic() < self.outage_until


def parse_form(content_type: str, body: bytes) -> dict[str, str]:
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                fields[name] = part.get_content() if part.get_content_maintype() == "text" else part.get_payload(decode=True).decode()
        return fields
    raise ValueError(f"unsupported Content-Type {content_type!r}")


def make_mailgun_handler(state: MailgunState):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the figures are in /_drill/mails
            pass

        def answer(self, status: int, payload: dict):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with state.lock:
                state.answers[status] += 1

        def do_GET(self):
            if self.path == "/_drill/mails":
                with state.lock:
                    payload = {"mails": list(state.mails), "answers": dict(state.answers)}
                self.answer(200, payload)
            else:
                self.answer(404, {"message": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/_drill/outage":
                seconds = float(urllib.parse.parse_qs(url.query).get("seconds", ["30"])[0])
                with state.lock:
                    state.outage_until = time.monotonic() + seconds
                self.answer(200, {"outage_seconds": seconds})
                return
            match = re.fullmatch(r"/v3/([^/]+)/messages", url.path)
            if not match:
                self.answer(404, {"message": "not found"})
                return
            expected = "Basic " + base64.b64encode(f"api:{state.key}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.answer(401, {"message": "Invalid private key"})
                return
            if state.in_outage():
                self.answer(503, {"message": "Service Unavailable (drill)"})
                return
            try:
                form = parse_form(self.headers.get("Content-Type", ""), body)
            except (ValueError, UnicodeDecodeError) as error:
                self.answer(400, {"message": str(error)})
                return
            missing = [f for f in ("from", "to", "subject") if not form.get(f)]
            if missing or not (form.get("text") or form.get("html")):
                self.answer(400, {"message": f"missing {missing or 'text/html'}"})
                return
            mail_id = f"<{secrets.token_hex(8)}@{match.group(1)}>"
            with state.lock:
                state.mails.append({
                    "id": mail_id, "domain": match.group(1), "to": form["to"], "subject": form["subject"],
                    "text": form.get("text", ""), "received": time.time(),
                })
            self.answer(200, {"id": mail_id, "message": "Queued. Thank you."})

    return Handler


def run_mailgun(args):
    state = MailgunState(args.key)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_mailgun_handler(state))
    server.daemon_threads = True
    print(f"fake Mailgun on http://127.0.0.1:{args.port}", flush=True)
    deadline = time.monotonic() + args.max_seconds  # never outlives a run that lost its parent
    server.timeout = 1
    while time.monotonic() < deadline:
        server.handle_request()


def mailgun_mails(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/_drill/mails", timeout=5) as response:
        return json.load(response)


def recipient(mail: dict) -> str | None:
    """The username a drill mail went to (drill addresses are USERNAME@drill.example)."""
    match = ADDRESS.search(mail["to"])
    return match.group(1) if match else None


def codes_for(mails: list[dict], username: str) -> list[str]:
    return [m.group(1) for mail in mails if recipient(mail) == username for m in [CODE.search(mail["text"])] if m]


# ---------------------------------------------------------------------------------------------
# HTTP client


class Gateway:
    def __init__(self, base: str, timeout: float):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        assert self.host in ("127.0.0.1", "localhost", "::1"), "the drills send traffic to loopback only"

    def call(self, method: str, path: str, body=None, token=None, client_address=None):
        """Returns (status, json or None, seconds). status is an int, or 'conn' / 'timeout'."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if client_address:
            # Honoured only when the gateway trusts loopback as a proxy: spreads the drill's clients
            # over documentation addresses so per-address limits see many clients (no traffic goes there).
            headers["X-Forwarded-For"] = client_address
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            status = response.status
        except TimeoutError:
            return "timeout", None, time.monotonic() - started
        except OSError:
            return "conn", None, time.monotonic() - started
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        return status, payload, elapsed


# ---------------------------------------------------------------------------------------------
# Setup: users that log in and read profiles


def run_setup(args):
    gateway = Gateway(args.gateway, timeout=30)
    tag = secrets.token_hex(2)
    users = {}
    for n in range(args.users):
        username = f"base_{tag}_{n}"
        status, payload, _ = gateway.call("POST", "/api/users", {
            "username": username, "password": PASSWORD, "email": f"{username}@{DOMAIN}", "nickname": "Drill",
        })
        if status != 201:
            sys.exit(f"setup: registering {username} answered {status}: {payload}")
        users[username] = None
    deadline = time.monotonic() + 30
    pending = set(users)
    while pending and time.monotonic() < deadline:
        mails = mailgun_mails(args.mailgun)["mails"]
        for username in sorted(pending):
            codes = codes_for(mails, username)
            if not codes:
                continue
            status, payload, _ = gateway.call("POST", f"/api/users/{username}/activate", {"token": codes[-1]})
            if status != 200:
                sys.exit(f"setup: activating {username} answered {status}: {payload}")
            users[username] = payload["token"]
            pending.discard(username)
        time.sleep(0.3)
    if pending:
        sys.exit(f"setup: no activation mail for {sorted(pending)} within 30 s")
    with open(args.state, "w") as f:
        json.dump({"users": users}, f)
    print(f"setup: {len(users)} users registered and activated")


# ---------------------------------------------------------------------------------------------
# Steady load


def run_load(args):
    gateway = Gateway(args.gateway, timeout=args.deadline + args.grace)
    users = json.load(open(args.state))["users"]
    names = sorted(users)
    tokens = dict(users)
    lock = threading.Lock()
    out = open(args.out, "w")
    counter = iter(range(10**9))
    started = time.monotonic()
    stop_at = started + args.seconds
    interval = args.workers / args.rate

    def record(op, subject, status, seconds):
        with lock:
            out.write(json.dumps({"op": op, "subject": subject, "status": status, "seconds": round(seconds, 4),
                                  "at": time.time()}) + "\n")
            out.flush()

    def worker(index: int):
        rng = random.Random(index)
        client = f"198.51.100.{10 + index}"
        sent = 0
        next_at = time.monotonic() + rng.random() * interval
        while (time.monotonic() < stop_at and sent < args.max_requests_per_worker
               and not (args.stop_file and os.path.exists(args.stop_file))):
            time.sleep(max(0.0, next_at - time.monotonic()))
            # A steady pace: a worker that waited on a slow answer does not burst to catch up.
            next_at = max(next_at + interval, time.monotonic())
            sent += 1
            pick = rng.random()
            if pick < 0.3:
                with lock:
                    n = next(counter)
                username = f"{args.tag}_{n}"[:20]
                status, _, seconds = gateway.call("POST", "/api/users", {
                    "username": username, "password": PASSWORD,
                    "email": f"{username}@{DOMAIN}", "nickname": "Drill load",
                }, client_address=client)
                record("register", username, status, seconds)
            elif pick < 0.55:
                username = rng.choice(names)
                status, payload, seconds = gateway.call(
                    "POST", "/api/users/login", {"username": username, "password": PASSWORD}, client_address=client)
                if status == 200 and payload:
                    with lock:
                        tokens[username] = payload["token"]
                record("login", username, status, seconds)
            else:
                reader, subject = rng.choice(names), rng.choice(names)
                with lock:
                    token = tokens[reader]
                status, _, seconds = gateway.call("GET", f"/api/users/{subject}", token=token, client_address=client)
                record("profile", subject, status, seconds)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    print(f"    load: {time.monotonic() - started:.1f} s", flush=True)


# ---------------------------------------------------------------------------------------------
# Report


def accounts_in_database(args, usernames: list[str]) -> set[str]:
    if not usernames:
        return set()
    pattern = re.sub(r"[^A-Za-z0-9]", lambda m: "\\" + m.group(0), args.tag) + "\\_%"
    query = f"SELECT username FROM user_service.users WHERE username LIKE '{pattern}'"
    env = dict(os.environ, PGPASSWORD=args.db_password, PGCONNECT_TIMEOUT="5")
    result = subprocess.run(
        [args.psql, "-X", "-q", "-tA", "-h", "127.0.0.1", "-p", str(args.db_port), "-U", "user_service",
         "-d", args.db_name, "-c", query],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"report: psql failed: {result.stderr.strip()}")
    return {line.strip() for line in result.stdout.splitlines() if line.strip()}


def print_outage(rows, events_path):
    """With an events file (drill b: "stopping", "down" and "up" with epoch seconds — PostgreSQL told to
    stop, stopped, ready again): how fast requests were answered while it was down, and how long after it
    was back requests still failed, to the load's resolution (one request every 1/rate s)."""
    if not events_path or not os.path.exists(events_path):
        return
    events = {name: float(at) for name, at in (line.split() for line in open(events_path) if line.strip())}
    if not {"stopping", "down", "up"} <= events.keys():
        return
    stopping, down, up = events["stopping"], events["down"], events["up"]
    unavailable = [r for r in rows if r["status"] == 503]
    during = [r for r in rows if down <= r["at"] - r["seconds"] < up]
    in_flight = [r for r in rows if r["at"] - r["seconds"] < down and r["at"] > stopping and r["status"] == 503]
    print(f"  503 answers          {len(unavailable)}, slowest {max((r['seconds'] for r in unavailable), default=0):.3f} s"
          f" (from the request's start)")
    print(f"  while it was down    {len(during)} requests started, {sum(r['status'] == 503 for r in during)} "
          f"answered 503, the slowest in {max((r['seconds'] for r in during), default=0):.3f} s; "
          f"stopping took {down - stopping:.2f} s, requests in flight then were answered 503 by "
          f"{max((r['at'] - down for r in in_flight), default=0):+.3f} s after it was down")
    after = sorted((r["at"] - r["seconds"] - up, r) for r in rows if r["at"] - r["seconds"] >= up)
    failed = [t for t, r in after if not str(r["status"]).startswith("2")]
    succeeded = [t for t, r in after if str(r["status"]).startswith("2")]
    print(f"  database back        after {up - down:.1f} s down; then the last failed request started at "
          f"{max(failed, default=0):+.3f} s, the first answered 2xx at {min(succeeded, default=float('nan')):+.3f} s")


def run_report(args):
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    by_op = defaultdict(Counter)
    for row in rows:
        by_op[row["op"]][str(row["status"])] += 1
    registered = [r["subject"] for r in rows if r["op"] == "register"]
    answered_201 = {r["subject"] for r in rows if r["op"] == "register" and r["status"] == 201}
    stored = accounts_in_database(args, registered)

    # Mails: every stored account must receive its activation mail within the settle period.
    attempted = set(registered)
    deadline = time.monotonic() + args.settle
    while True:
        mails = mailgun_mails(args.mailgun)
        delivered = Counter()
        for mail in mails["mails"]:
            username = recipient(mail)
            if username in attempted and CODE.search(mail["text"]):
                delivered[username] += 1
        without_mail = sorted(u for u in stored if not delivered[u])
        if not without_mail or time.monotonic() >= deadline:
            break
        time.sleep(0.5)

    lost_registrations = sorted(answered_201 - stored)
    ambiguous = sorted(stored - answered_201)
    duplicates = sum(n - 1 for n in delivered.values() if n > 1)
    orphans = sorted(u for u in delivered if u not in stored)
    slowest = max(rows, key=lambda r: r["seconds"], default=None)
    hangs = [r for r in rows if r["seconds"] > args.deadline or r["status"] == "timeout"]
    errors = sum(n for op in by_op.values() for status, n in op.items() if not status.startswith(("2",)))

    print(f"--- drill {args.drill}: {args.title}")
    span = (max(r["at"] for r in rows) - min(r["at"] for r in rows)) if rows else 0
    print(f"  requests sent        {len(rows)} in {span:.0f} s "
          f"({', '.join(f'{op} {sum(c.values())}' for op, c in sorted(by_op.items()))})")
    for op, statuses in sorted(by_op.items()):
        print(f"  answers {op:<12} {', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))}")
    print(f"  errors (not 2xx)     {errors}{' (none allowed in this drill)' if args.no_errors else ''}")
    if slowest:
        print(f"  slowest request      {slowest['seconds']:.2f} s ({slowest['op']} -> {slowest['status']}) "
              f"vs deadline {args.deadline:.1f} s; past the deadline: {len(hangs)}")
    print(f"  accounts stored      {len(stored)} of {len(registered)} registrations "
          f"({len(answered_201)} answered 201)")
    print(f"  LOST registrations   {len(lost_registrations)} (answered 201, no account){_some(lost_registrations)}")
    print(f"  LOST mails           {len(without_mail)} (account without activation mail after "
          f"{args.settle:.0f} s settle){_some(without_mail)}")
    print(f"  ambiguous            {len(ambiguous)} (error answered, account stored; its mail is counted above)"
          f"{_some(ambiguous)}")
    print(f"  ORPHAN mails         {len(orphans)} (a code mailed for an account that was not stored){_some(orphans)}")
    print(f"  duplicate mails      {duplicates}   mailgun answers so far: {mails['answers']}")
    print_outage(rows, args.events)
    lost = len(lost_registrations) + len(without_mail)
    failed_requests = errors if args.no_errors else 0
    verdict = "ok" if lost == 0 and not orphans and not hangs and not failed_requests else "FAILED"
    print(f"  verdict              {verdict} (lost {lost}, orphan mails {len(orphans)}, past deadline {len(hangs)}"
          f"{f', failed requests {failed_requests}' if args.no_errors else ''})")
    with open(args.summary, "a") as f:
        f.write(json.dumps({"drill": args.drill, "title": args.title, "requests": len(rows), "errors": errors,
                            "slowest": slowest["seconds"] if slowest else 0, "past_deadline": len(hangs),
                            "lost": lost, "ambiguous": len(ambiguous), "orphans": len(orphans),
                            "ok": verdict == "ok"}) + "\n")
    return 0 if verdict == "ok" else 1


def _some(items, limit=5):
    return "" if not items else ": " + ", ".join(items[:limit]) + (" ..." if len(items) > limit else "")


def run_summary(args):
    rows = [json.loads(line) for line in open(args.summary) if line.strip()]
    print("--- drill summary")
    for r in rows:
        print(f"  {'ok' if r['ok'] else 'FAILED':<7} {r['drill']}: {r['title']:<48} requests {r['requests']:>4}, "
              f"errors {r['errors']:>3}, slowest {r['slowest']:.2f} s, past deadline {r['past_deadline']}, "
              f"lost {r['lost']}, ambiguous {r['ambiguous']}, orphan mails {r['orphans']}")
    passed = sum(1 for r in rows if r["ok"])
    print(f"drills: {passed} passed, {len(rows) - passed} failed")
    return 0 if rows and passed == len(rows) else 1


def command(sub, name, run, required=(), **optional):
    """A subcommand: `required` options ("name" for a string, ("name", type) otherwise), `optional`
    ones as name=(type, default)."""
    p = sub.add_parser(name)
    for option in required:
        option, kind = option if isinstance(option, tuple) else (option, str)
        p.add_argument(f"--{option}", type=kind, required=True)
    for option, (kind, default) in optional.items():
        p.add_argument(f"--{option.replace('_', '-')}", type=kind, default=default)
    p.set_defaults(run=run)
    return p


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    command(sub, "mailgun", run_mailgun, ["key", ("port", int)], max_seconds=(float, 900))
    command(sub, "setup", run_setup, ["gateway", "mailgun", "state"], users=(int, 6))
    load = command(
        sub, "load", run_load, ["gateway", "state", "out", "tag"],
        seconds=(float, 60),                 # longest run
        stop_file=(str, None),               # stop earlier, once this file exists
        rate=(float, 8),                     # requests per second, all workers together
        workers=(int, 4),
        deadline=(float, 5),
        grace=(float, 10),                   # how long past the deadline a request is awaited
        max_requests_per_worker=(int, 2000),
    )
    load.description = "steady load; --tag prefixes the usernames it registers"
    report = command(
        sub, "report", run_report,
        ["drill", "title", "results", "summary", "tag", "mailgun", "psql", "db-name", "db-password", ("db-port", int)],
        deadline=(float, 5), settle=(float, 20),
        events=(str, None),                  # drill b: when the database went down and came back
    )
    report.add_argument("--no-errors", action="store_true",
                        help="the fault is off every request's path: any answer but 2xx fails the drill")
    command(sub, "summary", run_summary, ["summary"])
    args = parser.parse_args()
    sys.exit(args.run(args) or 0)


if __name__ == "__main__":
    main()
