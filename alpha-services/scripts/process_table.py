"""Reads alpha-services/processes.tsv, the one table of Alpha's processes (names, kinds, ports,
schemas, calls, roles). Used by check_processes.py and check_chart.py; lib.sh and the end-to-end
tests read the same file."""

from __future__ import annotations

import os

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "processes.tsv")


def load(path: str = TABLE) -> list[dict]:
    """The rows in file order, as dicts keyed by the header; "-" becomes None, `calls` a list,
    ports ints."""
    with open(path, encoding="utf-8") as file:
        lines = [line.rstrip("\n") for line in file if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) != len(header):
            raise ValueError(f"{path}: {len(fields)} fields instead of {len(header)}: {line!r}")
        row = {key: (None if value == "-" else value) for key, value in zip(header, fields)}
        row["calls"] = row["calls"].split(",") if row["calls"] else []
        for key in ("port", "admin_port"):
            row[key] = int(row[key]) if row[key] else None
        rows.append(row)
    return rows


def processes(rows: list[dict]) -> list[dict]:
    """The gateway and the services (not the database)."""
    return [row for row in rows if row["kind"] != "database"]
