"""Decision exports (CSV and XLSX) from the stored public rows over a demo town of N decisions, beside a bare dump.

Run: .venv/bin/python tests/benchmarks/export_bench.py [--decisions N] [--dir DIR] [--database-url URL]
     .venv/bin/python tests/benchmarks/export_bench.py --small   (1,500 decisions in a fresh temporary folder)

Builds (once; reused from DIR on later runs) a demo town with N decisions (default 100,000) in SQLite, or
in the PostgreSQL database given by ``--database-url`` (loaded when it holds fewer decisions). Each export
runs as its own ``flask export decisions`` process, so its peak RSS is the whole process's (``wait4``).
The peer, timed in the same run: ``sqlite3 -csv`` of the decisions table on SQLite, ``psql \\copy … csv`` on
PostgreSQL. Prints, each with rows/s, peak RSS and the ratio to the peer: the one-time build of the stored
public rows (``flask decisions public-rows --rebuild``: every listed decision projected and masked), the
CSV export from the maintained store, the CSV export right after one decision was edited (the store
catches up that one row first), the XLSX export, the same CSV again with nothing changed (answered from the
cached file), the CSV and XLSX downloads from the site over HTTP with the export cache emptied (``download``:
the export's own rate, without the command's start-up), and last the CSV export timed inside one running
process with whether the name detector's dictionary was loaded. Goals: CSV ≥ 10,000 rows/s and < 200 MiB, XLSX ≥ 5,000 rows/s.
The project's modules are byte-compiled first, as an install does (``run_all`` says why).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def app_config(bench_dir: Path, url: str | None) -> dict:
    return {"INSTANCE_DIR": bench_dir / "instance", "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{bench_dir / 'bench.db'}",
            "SEARCH_INDEX_DIR": str(bench_dir / "search_index"), "SEARCH_SYNC_AFTER_REQUEST": False}


def build(bench_dir: Path, n: int, url: str | None) -> int:
    """The demo town with ``n`` decisions (built once); returns the number of decisions in the table."""
    from sqlalchemy import func, select

    from enforcement import create_app
    from enforcement.demo.loader import load_demo
    from enforcement.disclosure.models import Decision
    from enforcement.extensions import db

    app = create_app(app_config(bench_dir, url))
    with app.app_context():
        db.create_all()
        have = db.session.scalar(select(func.count()).select_from(Decision)) or 0
        if have < n:
            print(f"building the demo town with {n:,} decisions (once) …", flush=True)
            started = time.perf_counter()
            load_demo(n)
            db.session.commit()
            print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
            have = db.session.scalar(select(func.count()).select_from(Decision)) or 0
        return have


def edit_one(bench_dir: Path, url: str | None) -> None:
    """Change the title of one listed decision, as a staff save would (one change-log row)."""
    from sqlalchemy import select

    from enforcement import create_app
    from enforcement.disclosure.categories import listed_decision_conditions
    from enforcement.disclosure.models import Decision
    from enforcement.disclosure.queries import today
    from enforcement.extensions import db

    app = create_app(app_config(bench_dir, url))
    with app.app_context():
        d = db.session.scalar(select(Decision).where(*listed_decision_conditions(today())).limit(1))
        d.title = d.title.rstrip("。") + ("。" if not d.title.endswith("。") else "")
        db.session.commit()


def count_decisions(bench_dir: Path, url: str | None) -> int:
    if url is None:
        import sqlite3

        with sqlite3.connect(bench_dir / "bench.db") as con:
            return con.execute("SELECT count(*) FROM decisions").fetchone()[0]
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        return con.execute("SELECT count(*) FROM decisions").fetchone()[0]


def stored_rows(bench_dir: Path, url: str | None) -> int:
    query = "SELECT count(*) FROM decision_public_rows"
    if url is None:
        import sqlite3

        with sqlite3.connect(bench_dir / "bench.db") as con:
            return con.execute(query).fetchone()[0]
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        return con.execute(query).fetchone()[0]


def run(cmd: list[str], env: dict | None = None, stdout=subprocess.DEVNULL) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=stdout)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss * 1024


def count_rows(path: Path, fmt: str) -> int:
    if fmt == "csv":
        import csv

        with path.open(encoding="utf-8-sig", newline="") as fh:
            return sum(1 for _ in csv.reader(fh)) - 1
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True)) - 1
    finally:
        wb.close()


def peer(bench_dir: Path, url: str | None, out: Path) -> tuple[str, float, int]:
    """The bare dump of the decisions table: (name, seconds, rows)."""
    import shutil

    if url is None and shutil.which("sqlite3") is None:  # no CLI on this machine: the same dump from Python
        import csv
        import sqlite3

        started = time.perf_counter()
        with out.open("w", newline="", encoding="utf-8") as fh, sqlite3.connect(bench_dir / "bench.db") as con:
            csv.writer(fh).writerows(con.execute("SELECT * FROM decisions"))
        elapsed = time.perf_counter() - started
        with out.open(encoding="utf-8", newline="") as fh:
            return "Python sqlite3+csv dump", elapsed, sum(1 for _ in csv.reader(fh))
    with out.open("wb") as fh:
        if url is None:
            cmd = ["sqlite3", "-csv", str(bench_dir / "bench.db"), "SELECT * FROM decisions"]
            name = "sqlite3 -csv"
        else:
            dsn = url.replace("postgresql+psycopg://", "postgresql://")
            cmd = ["psql", dsn, "-c", "\\copy decisions TO STDOUT WITH CSV"]
            name = "psql \\copy"
        elapsed, _rss = run(cmd, stdout=fh)
    with out.open("rb") as fh:
        import csv
        import io

        rows = sum(1 for _ in csv.reader(io.TextIOWrapper(fh, encoding="utf-8", newline="")))
    return name, elapsed, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "export-bench"))
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in DIR)")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--edit-one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true", help="1,500 decisions in a fresh temporary folder")
    args = parser.parse_args()
    if args.small:
        import shutil

        args.decisions, args.database_url = 1_500, None
        args.dir = tempfile.mkdtemp(prefix="export-bench-small-")
        try:
            run_all(args)
        finally:
            shutil.rmtree(args.dir, ignore_errors=True)
        return
    run_all(args)


def run_all(args) -> None:
    bench_dir = Path(args.dir)
    bench_dir.mkdir(parents=True, exist_ok=True)
    if args.build_only:
        build(bench_dir, args.decisions, args.database_url)
        return
    if args.edit_one:
        edit_one(bench_dir, args.database_url)
        return
    # Built in a child process: a child forked from a process that holds the loaded demo would count
    # that memory in its own peak RSS before it execs.
    subprocess.run([sys.executable, __file__, "--build-only", "--decisions", str(args.decisions), "--dir",
                    str(bench_dir), *(["--database-url", args.database_url] if args.database_url else [])],
                   check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    # The exports run as installed code runs: compiled. pip compiles a wheel's modules at install and
    # Python writes the cache on a checkout's first run, but with PYTHONDONTWRITEBYTECODE set (as on the
    # machines this was measured on) every command compiled ~150 modules again: 0.28 s of each export.
    import compileall

    compileall.compile_dir(str(ROOT / "enforcement"), quiet=1)
    total = count_decisions(bench_dir, args.database_url)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {total:,} decisions", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FLASK_INSTANCE_DIR": str(bench_dir / "instance"),
           "FLASK_SECRET_KEY": "bench", "FLASK_SEARCH_INDEX_DIR": str(bench_dir / "search_index"),
           "FLASK_SEARCH_SYNC_AFTER_REQUEST": "false",
           "DATABASE_URL": args.database_url or f"sqlite:///{bench_dir / 'bench.db'}"}
    env.pop("FLASK_SQLALCHEMY_DATABASE_URI", None)
    flask = str(Path(sys.executable).with_name("flask"))
    name, peer_s, peer_rows = peer(bench_dir, args.database_url, bench_dir / "peer.csv")
    peer_rate = peer_rows / peer_s
    print(f"peer {name}: {peer_rows:,} rows in {peer_s:.2f} s = {peer_rate:,.0f} rows/s", flush=True)
    cache = bench_dir / "instance" / "export_cache"

    def clear_cache() -> None:
        if cache.exists():
            for f in cache.iterdir():
                f.unlink()

    def report(label: str, fmt: str, elapsed: float, rss: int, rows: int) -> None:
        rate = rows / elapsed
        print(f"{label:38s}: {rows:,} rows in {elapsed:.2f} s = {rate:,.0f} rows/s, peak RSS {rss / 2**20:.0f} MiB, "
              f"{rate / peer_rate:.1%} of {name}", flush=True)

    elapsed, rss = run([flask, "--app", "wsgi", "decisions", "public-rows", "--rebuild"], env)
    report("store build (one time, masks every row)", "-", elapsed, rss, stored_rows(bench_dir, args.database_url))

    def export(label: str, fmt: str) -> None:
        out = bench_dir / f"decisions.{fmt}"
        elapsed, rss = run([flask, "--app", "wsgi", "export", "decisions", "--format", fmt, "-o", str(out)], env)
        report(label, fmt, elapsed, rss, count_rows(out, fmt))

    clear_cache()
    export("CSV from the maintained store", "csv")
    subprocess.run([sys.executable, __file__, "--edit-one", "--dir", str(bench_dir),
                    *(["--database-url", args.database_url] if args.database_url else [])],
                   check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    export("CSV after one edit (catch-up: 1 row)", "csv")
    export("XLSX from the maintained store", "xlsx")
    export("CSV again, unchanged (cached file)", "csv")
    for fmt in ("csv", "xlsx"):
        clear_cache()
        elapsed, rss, out = download(bench_dir, args.database_url, fmt)
        report(f"{fmt.upper():4} download over HTTP (site, no cache)", fmt, elapsed, rss, count_rows(out, fmt))
    in_process(bench_dir, args.database_url, peer_rate, name)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


def download(bench_dir: Path, url: str | None, fmt: str) -> tuple[float, int, Path]:
    """``/decisions/export.{fmt}`` downloaded from the site as a citizen does, from a running gunicorn
    worker (``pages_bench.start_server``), the export cache emptied first so the file is built from the
    stored rows while it streams: (seconds to the last byte, the worker's peak RSS in bytes, the file).

    This is the export's own rate; the ``flask export`` figures above add the 2 s or so that a command
    spends starting Python and importing the app before its first row."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.benchmarks.pages_bench import start_server, stop

    os.environ["PAGES_BENCH_DIR"] = str(bench_dir)
    if url:
        os.environ["PAGES_BENCH_DB_URL"] = url
    procs, base = start_server(bench_dir, cache=True)
    out = bench_dir / f"download.{fmt}"
    try:
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/decisions/export.{fmt}", timeout=600) as r, out.open("wb") as fh:
            for block in iter(lambda: r.read(1 << 16), b""):
                fh.write(block)
        elapsed = time.perf_counter() - started
        return elapsed, max(_peak_rss(child) for proc in procs for child in _children(proc.pid)), out
    finally:
        stop(procs)


def _children(pid: int) -> list[int]:
    """The gunicorn worker processes under master ``pid`` (Linux ``/proc``)."""
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _peak_rss(pid: int) -> int:
    """A running process's peak resident set (``VmHWM``), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def in_process(bench_dir: Path, url: str | None, peer_rate: float, name: str) -> None:
    """The same CSV export timed inside one process, without interpreter start and app import (what a
    web worker, already running, spends): the cold build, then the cache lookup of the unchanged list."""
    import io

    from enforcement import create_app
    from enforcement.core import export_cache
    from enforcement.disclosure.categories import DECISIONS
    from enforcement.disclosure.export_files import write_file
    from enforcement.disclosure.queries import today

    app = create_app(app_config(bench_dir, url))
    with app.app_context():
        started = time.perf_counter()
        rows = write_file(DECISIONS, {}, "csv", io.BytesIO(), today())
        elapsed = time.perf_counter() - started
        print(f"CSV  in-process from the store: {rows:,} rows in {elapsed:.2f} s = {rows / elapsed:,.0f} rows/s, "
              f"{rows / elapsed / peer_rate:.1%} of {name}; name dictionary loaded: {'jieba' in sys.modules}",
              flush=True)
        started = time.perf_counter()
        export_cache.lookup(export_cache.cache_key("decisions", "csv", {}, today()))
        print(f"CSV  in-process cache lookup (unchanged list): {(time.perf_counter() - started) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
