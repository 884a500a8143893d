"""Checks everything that lists Alpha's processes against alpha-services/processes.tsv.

    python3 check_processes.py           # check (make test, from check-chart.sh); exit 1 on a mismatch
    python3 check_processes.py --write   # regenerate the docs' generated tables, then check

Read from the table at run time (nothing to check): scripts/lib.sh (process list, schemas, ports,
peer URLs), the end-to-end tests (Tests/EndToEndTests/ProcessTable.swift) and check_chart.py.
Checked here:
  - the Helm values (deploy/helm/alpha/values.yaml `services:`): names, ports, schema, calls;
  - each executable's defaults (Sources/<process>/*Main.swift, the gateway's HTTP port in
    Sources/Gateway/GatewayConfiguration.swift): admin and gRPC ports (and the main's doc comment
    naming them), and the peers it calls with their default addresses;
  - the generated tables in README.md and docs/running.md (between `<!-- process-table:... -->`
    markers), the port rows of docs/configuration.md and the admin ports of docs/operations.md;
  - the Dockerfile's EXPOSE line (generated too) and every other port the docs name next to a
    process (port_mentions.py).
"""

from __future__ import annotations

import glob
import os
import re
import sys

import yaml

import port_mentions
import process_table

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICES_DIR = os.path.normpath(os.path.join(HERE, ".."))
REPO = os.path.normpath(os.path.join(SERVICES_DIR, ".."))
VALUES = os.path.join(SERVICES_DIR, "deploy", "helm", "alpha", "values.yaml")

problems: list[str] = []


def expect(condition: bool, message: str) -> None:
    if not condition:
        problems.append(message)


def check_helm_values(rows: list[dict]) -> None:
    with open(VALUES, encoding="utf-8") as file:
        services = yaml.safe_load(file)["services"]
    table = {row["process"]: row for row in process_table.processes(rows)}
    expect(set(services) == set(table), f"values.yaml services {sorted(services)} != table {sorted(table)}")
    for name, row in table.items():
        values = services.get(name, {})
        port_key = "httpPort" if row["kind"] == "gateway" else "grpcPort"
        where = f"values.yaml services.{name}"
        expect(values.get(port_key) == row["port"], f"{where}.{port_key} {values.get(port_key)} != {row['port']}")
        expect(values.get("adminPort") == row["admin_port"], f"{where}.adminPort {values.get('adminPort')} != {row['admin_port']}")
        expect(values.get("schema") == row["schema"], f"{where}.schema {values.get('schema')} != {row['schema']}")
        expect(sorted(values.get("calls") or []) == sorted(row["calls"]), f"{where}.calls {values.get('calls')} != {row['calls']}")


def check_executables(rows: list[dict]) -> None:
    by_key = {row["prefix"].lower(): row for row in rows if row["kind"] == "service"}
    for row in process_table.processes(rows):
        name = row["process"]
        files = glob.glob(os.path.join(SERVICES_DIR, "Sources", name, "*.swift"))
        expect(bool(files), f"Sources/{name}: no executable target for process {name}")
        source = "".join(open(path, encoding="utf-8").read() for path in files)
        run = re.search(r'ServiceProcess\.run\(\s*name:\s*"([^"]+)",\s*defaultAdminPort:\s*(\d+)', source)
        expect(run is not None and run.group(1) == name and int(run.group(2)) == row["admin_port"],
               f"Sources/{name}: ServiceProcess.run(name:defaultAdminPort:) is not ({name}, {row['admin_port']})")
        if row["kind"] == "service":
            port = re.search(r"addGRPCServer\(\s*defaultPort:\s*(\d+)", source)
            expect(port is not None and int(port.group(1)) == row["port"],
                   f"Sources/{name}: addGRPCServer(defaultPort:) is not {row['port']}")
        else:
            configuration = open(os.path.join(SERVICES_DIR, "Sources", "Gateway", "GatewayConfiguration.swift"),
                                 encoding="utf-8").read()
            port = re.search(r'settings\.port\("http\.port",\s*default:\s*(\d+)\)', configuration)
            expect(port is not None and int(port.group(1)) == row["port"],
                   f"Sources/Gateway/GatewayConfiguration.swift: HTTP_PORT default is not {row['port']}")
        # The doc comment of the main names the ports too: "gRPC :50051, admin :9101" / "HTTP :8080, admin :9100".
        documented = re.search(r"^///.*\b(?:gRPC|HTTP) :(\d+), admin :(\d+)", source, re.MULTILINE)
        expect(documented is not None and [int(documented.group(1)), int(documented.group(2))]
               == [row["port"], row["admin_port"]],
               f"Sources/{name}: the main's doc comment does not say its ports :{row['port']}, admin :{row['admin_port']}")
        called = {}
        for key, host, peer_port in re.findall(
                r'urlKey:\s*"(\w+)\.service\.url",\s*defaultTarget:\s*"([^":]+):(\d+)"', source):
            peer = by_key.get(key)
            expect(peer is not None, f"Sources/{name}: calls {key}.service.url, which is not in the table")
            if peer:
                called[peer["process"]] = int(peer_port)
                expect(int(peer_port) == peer["port"],
                       f"Sources/{name}: default {key}.service.url port {peer_port} != {peer['port']}")
        expect(sorted(called) == sorted(row["calls"]), f"Sources/{name}: calls {sorted(called)} != table {row['calls']}")


def readme_table(rows: list[dict]) -> list[str]:
    lines = [
        "| process                | serves                               | admin: `/metrics`, `/health/live`, `/health/ready` |",
        "|------------------------|--------------------------------------|----------------------------------------------------|",
    ]
    for row in rows:
        if row["kind"] == "gateway":
            name, serves, admin = f"`{row['process']}`", f"REST on `http://localhost:{row['port']}/api`", f"`:{row['admin_port']}`"
        elif row["kind"] == "service":
            name, serves, admin = f"`{row['process']}`", f"gRPC `:{row['port']}`", f"`:{row['admin_port']}`"
        else:
            name, serves, admin = "PostgreSQL (dev)", f"`127.0.0.1:{row['port']}`, database `alpha`", "`make psql`"
        lines.append(f"| {name:<22} | {serves:<36} | {admin:<50} |")
    return lines


def running_table(rows: list[dict]) -> list[str]:
    lines = [
        "| process                | traffic                                       | admin (`/metrics`, `/health/live`, `/health/ready`) | role |",
        "|------------------------|-----------------------------------------------|-----------------------------------------------------|------|",
    ]
    for row in rows:
        if row["kind"] == "gateway":
            name, traffic = f"`{row['process']}`", f"HTTP {row['port']} (`HTTP_PORT`)"
        elif row["kind"] == "service":
            name, traffic = f"`{row['process']}`", f"gRPC {row['port']} (`ALPHA_{row['prefix']}_GRPC_PORT`)"
        else:
            name, traffic = "PostgreSQL", f"{row['port']} (`ALPHA_PG_PORT`)"
        admin = f"{row['admin_port']} (`ALPHA_{row['prefix']}_ADMIN_PORT`)" if row["admin_port"] else "—"
        lines.append(f"| {name:<22} | {traffic:<45} | {admin:<51} | {row['role']} |")
    return lines


GENERATED = {
    os.path.join(REPO, "README.md"): readme_table,
    os.path.join(REPO, "docs", "running.md"): running_table,
}
BEGIN = "<!-- process-table:begin (generated from alpha-services/processes.tsv: python3 alpha-services/scripts/check_processes.py --write) -->"
END = "<!-- process-table:end -->"


def check_docs(rows: list[dict], write: bool) -> None:
    for path, render in GENERATED.items():
        text = open(path, encoding="utf-8").read()
        name = os.path.relpath(path, REPO)
        if BEGIN not in text or END not in text:
            problems.append(f"{name}: no generated process table (markers {BEGIN!r} … {END!r})")
            continue
        before, rest = text.split(BEGIN, 1)
        _, after = rest.split(END, 1)
        wanted = before + BEGIN + "\n" + "\n".join(render(rows)) + "\n" + END + after
        if wanted != text:
            if write:
                with open(path, "w", encoding="utf-8") as file:
                    file.write(wanted)
                print(f"check_processes: wrote the process table of {name}")
            else:
                problems.append(f"{name}: the process table is stale (run check_processes.py --write)")
    configuration = open(os.path.join(REPO, "docs", "configuration.md"), encoding="utf-8").read()
    for variable, key in (("GRPC_PORT", "port"), ("ADMIN_PORT", "admin_port")):
        line = re.search(rf"^\| `{variable}` \|.*$", configuration, re.MULTILINE)
        expect(line is not None, f"docs/configuration.md: no `{variable}` row")
        if line:
            shown = [int(port) for port in re.findall(r"`(\d+)`", line.group(0))]
            wanted = [row[key] for row in process_table.processes(rows)
                      if row[key] and (variable == "ADMIN_PORT" or row["kind"] == "service")]
            expect(shown == wanted, f"docs/configuration.md `{variable}` row shows {shown}, the table has {wanted}")
    for variable, kind in (("HTTP_PORT", "gateway"), ("ALPHA_PG_PORT", "database")):
        port = next(row["port"] for row in rows if row["kind"] == kind)
        line = re.search(rf"^\| `{variable}` \| `(\d+)` \|", configuration, re.MULTILINE)
        expect(line is not None and int(line.group(1)) == port,
               f"docs/configuration.md: the `{variable}` default is not `{port}`")
    operations = open(os.path.join(REPO, "docs", "operations.md"), encoding="utf-8").read()
    listed = re.search(r"on its `ADMIN_PORT` \(([^)]*)\)", operations)
    wanted_list = ", ".join(f"{row['process'].removesuffix('-service').removeprefix('api-')} {row['admin_port']}"
                            for row in process_table.processes(rows))
    expect(listed is not None and " ".join(listed.group(1).split()) == wanted_list,
           f"docs/operations.md: the admin ports are not listed as ({wanted_list})")


def main() -> int:
    rows = process_table.load()
    write = "--write" in sys.argv[1:]
    check_docs(rows, write)
    port_mentions.check_dockerfile(rows, write, problems)
    port_mentions.check_documents(rows, problems)
    check_helm_values(rows)
    check_executables(rows)
    for problem in problems:
        print(f"check_processes: {problem}", file=sys.stderr)
    if problems:
        print(f"check_processes: {len(problems)} mismatch(es) with alpha-services/processes.tsv", file=sys.stderr)
        return 1
    print(f"check_processes: values.yaml, the executables, the Dockerfile and the docs match processes.tsv ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
