"""The ports that the Dockerfile and the docs' prose name, against alpha-services/processes.tsv
(check_processes.py runs these checks; `--write` regenerates the Dockerfile's EXPOSE line).

- deploy/Dockerfile: `EXPOSE` lists every port a container of the one image may listen on — the
  gateway's HTTP port, each service's gRPC port, each admin port — and any `ENV …PORT=` is a
  table port;
- every `*.md` of the repository (and the chart's values.yaml and NOTES.txt): each place that names
  a process next to a port says the table's port: `alpha-user-service-headless:50051`,
  `` `USER_SERVICE_URL` | `127.0.0.1:50051` ``, `9100 (`ALPHA_GATEWAY_ADMIN_PORT`)`, the `make run`
  banner's rows, the replica ports (`user-service-2: gRPC 50151, admin 9201`), the
  `ALPHA_USER_GRPC_PORT` … `ALPHA_IMAGE_GRPC_PORT` ranges, the `/metrics` port of a named service,
  the health-check loop over the admin ports and new-service.md's "next free after" ranges.
"""

from __future__ import annotations

import glob
import os
import re

import process_table

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
SERVICES_DIR = os.path.normpath(os.path.join(SCRIPTS, ".."))
REPO = os.path.normpath(os.path.join(SERVICES_DIR, ".."))
DOCKERFILE = os.path.join(SERVICES_DIR, "deploy", "Dockerfile")
CHART = os.path.join(SERVICES_DIR, "deploy", "helm", "alpha")
# Distance between replicas in `make run REPLICAS=N` (ALPHA_REPLICA_PORT_STEP's default, scripts/lib.sh).
REPLICA_PORT_STEP = 100

EXPOSE_COMMENT = ("# Every port a process of this image may listen on: the gateway's HTTP port, the services' gRPC\n"
                  "# ports, the admin ports (/metrics, /health/*); the chart sets each container's own. Generated\n"
                  "# from alpha-services/processes.tsv (check_processes.py --write).\n")


def exposed_ports(rows: list[dict]) -> list[int]:
    """The gateway's HTTP port, the services' gRPC ports and every admin port, ascending."""
    ports = set()
    for row in process_table.processes(rows):
        ports.update(port for port in (row["port"], row["admin_port"]) if port)
    return sorted(ports)


def check_dockerfile(rows: list[dict], write: bool, problems: list[str]) -> None:
    text = open(DOCKERFILE, encoding="utf-8").read()
    name = os.path.relpath(DOCKERFILE, REPO)
    wanted = exposed_ports(rows)
    block = re.search(r"(?:^#[^\n]*\n)*^EXPOSE[^\n]*\n", text, re.MULTILINE)
    if block is None:
        problems.append(f"{name}: no EXPOSE line (wanted EXPOSE {' '.join(map(str, wanted))})")
        return
    rewritten = EXPOSE_COMMENT + "EXPOSE " + " ".join(map(str, wanted)) + "\n"
    if block.group(0) != rewritten:
        if write:
            with open(DOCKERFILE, "w", encoding="utf-8") as file:
                file.write(text[:block.start()] + rewritten + text[block.end():])
            print(f"check_processes: wrote the EXPOSE line of {name}")
        else:
            shown = [int(port) for port in re.findall(r"\d+", block.group(0).splitlines()[-1])]
            problems.append(f"{name}: EXPOSE {shown} is not the table's ports {wanted} "
                            "(run check_processes.py --write)")
    table_ports = {port for row in rows for port in (row["port"], row["admin_port"]) if port}
    for variable, port in re.findall(r"^ENV\s+(\w*PORT)[= ](\d+)", text, re.MULTILINE):
        if int(port) not in table_ports:
            problems.append(f"{name}: ENV {variable}={port} is no port of processes.tsv")


def documents() -> list[str]:
    paths = glob.glob(os.path.join(REPO, "*.md")) + glob.glob(os.path.join(REPO, "docs", "*.md"))
    paths += glob.glob(os.path.join(REPO, "examples", "*", "*.md"))
    paths += [os.path.join(CHART, "values.yaml"), os.path.join(CHART, "templates", "NOTES.txt")]
    return sorted(path for path in paths if os.path.exists(path))


def check_documents(rows: list[dict], problems: list[str]) -> None:
    table = {row["process"]: row for row in process_table.processes(rows)}
    by_prefix = {row["prefix"]: row for row in rows}
    by_word = {name.removesuffix("-service").removeprefix("api-"): row for name, row in table.items()}
    names = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
    services = [row for row in process_table.processes(rows) if row["kind"] == "service"]
    admin_ports = [row["admin_port"] for row in process_table.processes(rows)]
    grpc_ports = [row["port"] for row in services]

    for path in documents():
        text = open(path, encoding="utf-8").read()
        where = os.path.relpath(path, REPO)

        def claim(said: int, wanted: int | None, what: str, offset: int) -> None:
            if said != wanted:
                line = text.count("\n", 0, offset) + 1
                problems.append(f"{where}:{line}: {what} is {said}, processes.tsv says {wanted}")

        # A Service/host name and a port: `alpha-user-service-headless:50051`, `user-service:50051`.
        for match in re.finditer(rf"\b({names})(?:-headless)?:(\d+)\b", text):
            claim(int(match.group(2)), table[match.group(1)]["port"], f"the port of {match.group(0)}", match.start())
        # The peer URL defaults: | `USER_SERVICE_URL` | `127.0.0.1:50051` |.
        for match in re.finditer(r"`(\w+)_SERVICE_URL` \| `[^`]*?:(\d+)`", text):
            row = by_prefix.get(match.group(1))
            if row:
                claim(int(match.group(2)), row["port"], f"the default of {match.group(1)}_SERVICE_URL", match.start())
        # Peer URLs in an environment: USER_SERVICE_URL=127.0.0.1:50051,127.0.0.1:50151 (replica R at + (R-1) steps).
        for match in re.finditer(r"\b(\w+)_SERVICE_URL=((?:[\w.]+:\d+,?)+)", text):
            row = by_prefix.get(match.group(1))
            for replica, port in enumerate(re.findall(r":(\d+)", match.group(2))):
                if row:
                    claim(int(port), row["port"] + replica * REPLICA_PORT_STEP,
                          f"replica {replica + 1} of {match.group(1)}_SERVICE_URL", match.start())
        # A port with its knob: 50051 (`ALPHA_USER_GRPC_PORT`), 127.0.0.1:5433 (`ALPHA_PG_PORT`).
        for match in re.finditer(r"(\d+)`?\s*\(`ALPHA_(\w+?)_(?:(GRPC|ADMIN)_)?PORT`\)", text):
            row = by_prefix.get(match.group(2))
            if row:
                wanted = row["admin_port"] if match.group(3) == "ADMIN" else row["port"]
                knob = "_".join(part for part in ("ALPHA", match.group(2), match.group(3), "PORT") if part)
                claim(int(match.group(1)), wanted, knob, match.start())
        # The knob ranges: `ALPHA_GATEWAY_ADMIN_PORT` … `ALPHA_IMAGE_ADMIN_PORT` | `9100` … `9104`.
        for match in re.finditer(r"`ALPHA_(\w+?)_(GRPC|ADMIN)_PORT` … `ALPHA_(\w+?)_\2_PORT` \| `(\d+)` … `(\d+)`", text):
            key = "admin_port" if match.group(2) == "ADMIN" else "port"
            for prefix, said in ((match.group(1), match.group(4)), (match.group(3), match.group(5))):
                row = by_prefix.get(prefix)
                claim(int(said), row[key] if row else None, f"ALPHA_{prefix}_{match.group(2)}_PORT", match.start())
        # The `make run` banner: "  user-service   grpc 127.0.0.1:50051   http://127.0.0.1:9101".
        for match in re.finditer(
                rf"^\s+({names})\s+(?:http://localhost:(\d+)/api|grpc 127\.0\.0\.1:(\d+))\s+http://127\.0\.0\.1:(\d+)",
                text, re.MULTILINE):
            row = table[match.group(1)]
            claim(int(match.group(2) or match.group(3)), row["port"], f"the banner's port of {match.group(1)}",
                  match.start())
            claim(int(match.group(4)), row["admin_port"], f"the banner's admin port of {match.group(1)}", match.start())
        # Second replicas: `user-service-2` on gRPC 50151 and admin 9201; user-service-2: gRPC 50151, admin 9201;
        # `post-service-2` on 50152/9202.
        for match in re.finditer(
                rf"\b({names})-2`?(?::|\s+on)\s+(?:gRPC\s+)?(\d+)(?:,\s*admin\s+|\s+and\s+admin\s+|/)(\d+)", text):
            row = table[match.group(1)]
            claim(int(match.group(2)), row["port"] + REPLICA_PORT_STEP, f"the port of {match.group(1)}-2", match.start())
            claim(int(match.group(3)), row["admin_port"] + REPLICA_PORT_STEP, f"the admin port of {match.group(1)}-2",
                  match.start())
        # A named service's /metrics: **Metrics** (on the notification service's `/metrics`, port 9103).
        for match in re.finditer(r"\((?:on the )?(\w+) service(?:'s `/metrics`)?, port (\d+)\)", text):
            row = by_word.get(match.group(1))
            if row:
                claim(int(match.group(2)), row["admin_port"], f"the admin port of the {match.group(1)} service",
                      match.start())
        # Loops over the admin ports: for port in 9100 9101 ...; do
        for match in re.finditer(r"for port in ([\d ]+); do", text):
            said = [int(port) for port in match.group(1).split()]
            if said != admin_ports:
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{where}:{line}: the loop over the admin ports says {said}, processes.tsv {admin_ports}")
        # The ranges a new service's ports come after: "next free after 50051–50054".
        # and the example's port beside it must be free: | gRPC port | next free after 50051–50054 | `50055` |.
        for match in re.finditer(r"next free after (\d+)–(\d+)(?: \| `(\d+)`)?", text):
            said = [int(match.group(1)), int(match.group(2))]
            ports = grpc_ports if said[0] > 20000 else admin_ports
            line = text.count("\n", 0, match.start()) + 1
            if said != [min(ports), max(ports)]:
                problems.append(f"{where}:{line}: \"next free after {said[0]}–{said[1]}\": the table's ports are "
                                f"{min(ports)}–{max(ports)}")
            if match.group(3) and int(match.group(3)) in ports:
                problems.append(f"{where}:{line}: the example's port {match.group(3)} is taken in processes.tsv")
