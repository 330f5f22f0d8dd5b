"""Time a full pull of the people stream from the reference server into an empty client.

Usage: ``python benchmarks/bench_sync.py --people 1000000 [--page-size 5000]
[--server-db PATH]``.

The server (``fpcert-server serve``) runs as a subprocess on 127.0.0.1 and the pull runs
in this process with ``SyncRunner``. Without ``--server-db`` the server database is
loaded with ``fpcert-server init`` into a temporary folder. The script prints the pull's
records per second and this process's peak resident memory (``ru_maxrss``, read right
after the pull). For comparison it then times a bare ``sqlite3`` ``executemany`` of the
same people, children and pregnancy rows into tables of the same shape, which is the
local write limit.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from fpcert_desktop.storage import Database
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.protocol import MAX_PAGE_SIZE
from fpcert_desktop.sync.runner import SyncRunner

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# The city office's workstations see every synthetic person, because all live in 4403.
OFFICE = "440300"
TABLES = ("people", "children", "pregnancies")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=lambda t: int(t.replace("_", "")), default=1_000_000)
    parser.add_argument(
        "--page-size", type=int, default=MAX_PAGE_SIZE, help="records per pulled page"
    )
    parser.add_argument(
        "--server-db", type=Path, help="an already loaded server database (default: load one)"
    )
    args = parser.parse_args()

    print(
        f"machine: {os.cpu_count()} CPUs, {_cpu_model()}, {_memory_gib():.0f} GiB RAM, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    with tempfile.TemporaryDirectory() as folder:
        server_db = args.server_db or Path(folder) / "server.sqlite3"
        if args.server_db is None:
            started = time.perf_counter()
            _server_command("init", "--people", str(args.people), db=server_db)
            print(f"server init --people {args.people:,}: {time.perf_counter() - started:.1f} s")
        code = _server_command("enrolment-code", "--office", OFFICE, db=server_db).split()[-1]

        port = _free_port()
        server = _start_server(server_db, port, Path(folder) / "serve.log")
        try:
            client_path = Path(folder) / "client.sqlite3"
            people, seconds, pages = _pull(f"http://{HOST}:{port}", code, client_path, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
        # ru_maxrss is in KiB on Linux.
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"pull: {people:,} people in {pages} pages of up to {args.page_size} "
            f"in {seconds:.1f} s = {people / seconds:,.0f} records/s; "
            f"peak RSS of the pulling process {peak_mib:,.0f} MiB"
        )
        print(f"client database: {client_path.stat().st_size / 1e6:,.0f} MB")

        rows, baseline_seconds = _bare_insert(client_path, Path(folder) / "bare.sqlite3")
        print(
            f"bare sqlite3 executemany of the same rows ({rows:,} rows in {len(TABLES)} "
            f"tables, one transaction): {baseline_seconds:.1f} s = "
            f"{people / baseline_seconds:,.0f} people/s"
        )


def _pull(
    base_url: str, code: str, client_path: Path, args: argparse.Namespace
) -> tuple[int, float, int]:
    credentials = SyncClient(base_url, workstation_credentials=None).enrol(OFFICE, "01", code)
    database = Database(client_path)
    database.upgrade()
    client = SyncClient(base_url, workstation_credentials=credentials, timeout=(5.0, 300.0))
    runner = SyncRunner(database, client, page_size=args.page_size)
    started = time.perf_counter()
    summary = runner.pull_all(("people",))
    seconds = time.perf_counter() - started
    database.dispose()
    (stream,) = summary.streams
    if stream.quarantined:
        print(f"warning: {stream.quarantined} records were quarantined")
    return stream.upserted, seconds, stream.pages


def _bare_insert(source: Path, target: Path) -> tuple[int, float]:
    """Copy the pulled rows with plain executemany; return the row count and the seconds.

    The target tables and their indexes are created from the client's own schema, and
    the rows are read into memory first, so only the inserts and the commit are timed.
    """
    with sqlite3.connect(source) as reader:
        schema = [
            sql
            for (sql,) in reader.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name IN (?, ?, ?) AND sql IS NOT NULL "
                "ORDER BY type = 'index'",
                TABLES,
            )
        ]
        data = {table: reader.execute(f"SELECT * FROM {table}").fetchall() for table in TABLES}
    writer = sqlite3.connect(target, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    for statement in schema:
        writer.execute(statement)
    started = time.perf_counter()
    writer.execute("BEGIN")
    for table in TABLES:
        rows = data[table]
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            writer.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    writer.execute("COMMIT")
    seconds = time.perf_counter() - started
    writer.close()
    return sum(len(rows) for rows in data.values()), seconds


def _server_command(*args: str, db: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "fpcert_server", *args, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return completed.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _start_server(db: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "fpcert_server", "serve", "--db", str(db)]
    command += ["--host", HOST, "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"http://{HOST}:{port}/v1/verify/x", timeout=1)
            return process
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(timeout=10)
                raise RuntimeError(f"the server did not start:\n{log_path.read_text()}") from None
            time.sleep(0.2)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


if __name__ == "__main__":
    main()
