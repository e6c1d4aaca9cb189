"""The supervisor's audit over a demo town of N decisions (default 100,000): stored results against a full run.

    .venv/bin/python tests/benchmarks/audit_bench.py [N] [--database-url URL] [--small]   (--small: 300 decisions)

Without a URL the town goes into a temporary SQLite file; with one (an empty PostgreSQL database, or a new
SQLite file) it is loaded there. An existing SQLite file is reused as it is (run again without a new load). Prints, each next to its peer measured in the same run, and the load average:

- the stored results' first build (once per database, then kept current from the change log);
- ``/audit/`` for the current year, warm, and right after a change to a decision (the change log is read
  and that decision recomputed), and for all years warm; peer: the full checks the page used to run
  for the same scope, and a plain SELECT over the results table;
- ``flask audit check --format json`` (a process of its own: time and peak RSS); peer: the former command
  (the full checks, every finding held in memory, then one JSON dump) in a process of its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

OLD_CHECK = """
import json, sys
from enforcement import create_app
from enforcement.audit.checks import Scope, run_checks
from enforcement.demo.town import TODAY
app = create_app()
with app.app_context():
    results = run_checks(Scope(TODAY))
    sys.stdout.write(json.dumps({"checks": [r.as_dict() for r in results]}, ensure_ascii=False, indent=1))
"""


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _timed(fn, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
with open(sys.argv[1], "wb") as out, open(sys.argv[1] + ".err", "wb") as err:
    code = subprocess.run(sys.argv[2:], stdout=out, stderr=err, check=False).returncode
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def _child(args: list[str], env: dict[str, str], tmp: str) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, bytes written) of a command run in a process of its own (a wrapper process
    reads its only child's peak, so two measurements never mix)."""
    out = Path(tmp) / "out.json"
    report = subprocess.run([sys.executable, "-c", WRAPPER, str(out), *args], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split()
    if report[2] not in ("0", "1"):  # 1: findings were reported
        sys.exit(f"{args[0]} failed:\n" + Path(str(out) + ".err").read_text(encoding="utf-8")[-2000:])
    return float(report[0]), int(report[1]) / 1024, out.stat().st_size


def main(n: int, url: str | None) -> None:
    from sqlalchemy import func, select

    from enforcement import create_app
    from enforcement.audit import incremental
    from enforcement.audit.checks import Scope, run_checks
    from enforcement.audit.models import AuditResult
    from enforcement.demo.loader import load_demo
    from enforcement.demo.town import TODAY
    from enforcement.disclosure.models import Decision
    from enforcement.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        reuse = url.startswith("sqlite:///") and Path(url[len("sqlite:///"):]).exists()
        config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_DIR": str(Path(tmp) / "instance"),
                  "TODAY": TODAY.isoformat(), "SEARCH_SYNC_AFTER_REQUEST": False, "PUBLIC_CACHE_ENABLED": False}
        app = create_app(config)
        print(f"database: {url.split(':', 1)[0]}; load average {_load()}")
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            if not reuse:
                load_demo(n)
                db.session.commit()
                print(f"demo load, {n:,} decisions: {time.perf_counter() - started:.1f} s")
            else:
                n = db.session.scalar(select(func.count(Decision.id)))
                print(f"reusing a town of {n:,} decisions")
            started = time.perf_counter()
            incremental.refresh()
            db.session.commit()
            rows = db.session.scalar(select(func.count(AuditResult.id)))
            what = "catching up with the change log" if reuse else "first build"
            print(f"stored results, {what}: {time.perf_counter() - started:.1f} s ({rows:,} rows)")
            supervisor = _supervisor_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = supervisor, True

        def page(query: str = "") -> None:
            response = client.get("/audit/" + query)
            assert response.status_code == 200, response.status_code

        def changed_page() -> None:
            with app.app_context():
                d = db.session.get(Decision, db.session.scalar(select(func.max(Decision.id))))
                d.facts = (d.facts or "") + "补充。"
                db.session.commit()
            page()

        page()
        warm = _timed(page, 5)
        after_change = _timed(changed_page, 3)
        page("?year=")
        all_years = _timed(lambda: page("?year="), 5)
        with app.app_context():
            full_year = _timed(lambda: run_checks(Scope(TODAY, TODAY.year)), 1)
            full_all = _timed(lambda: run_checks(Scope(TODAY)), 1)
            plain = _timed(lambda: db.session.execute(select(AuditResult.check_code, func.count())
                                                      .group_by(AuditResult.check_code)).all(), 3)
            db.session.rollback()
        print(f"load average {_load()}")
        print(f"/audit/ current year, warm         {warm * 1000:8.0f} ms   (peer: full checks {full_year * 1000:,.0f} ms,"
              f" ×{full_year / warm:.0f})")
        print(f"/audit/ current year, after change {after_change * 1000:8.0f} ms")
        print(f"/audit/ all years, warm            {all_years * 1000:8.0f} ms   (peer: full checks {full_all * 1000:,.0f} ms,"
              f" ×{full_all / all_years:.0f})")
        print(f"peer: plain SELECT count(*) GROUP BY check over the results table: {plain * 1000:.0f} ms")
        env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url, "FLASK_SECRET_KEY": "bench",
               "FLASK_INSTANCE_DIR": str(Path(tmp) / "instance"), "FLASK_TODAY": TODAY.isoformat(),
               "FLASK_LOG_LEVEL": "WARNING"}
        flask = str(Path(sys.executable).parent / "flask")
        seconds, peak, size = _child([flask, "--app", "wsgi", "audit", "check", "--format", "json",
                                      "--today", TODAY.isoformat()], env, tmp)
        old_seconds, old_peak, old_size = _child([sys.executable, "-c", OLD_CHECK], env, tmp)
        print(f"audit check --format json: {seconds:.1f} s, peak RSS {peak:.0f} MiB, {size / 2**20:.1f} MiB written"
              f"   (peer, the full checks dumped at once: {old_seconds:.1f} s, {old_peak:.0f} MiB, "
              f"{old_size / 2**20:.1f} MiB)")
        print(f"load average {_load()}")
        with app.app_context():
            db.engine.dispose()


def _supervisor_id() -> str:
    from sqlalchemy import select

    from enforcement.accounts.models import User
    from enforcement.extensions import db

    return db.session.scalar(select(User).where(User.username == "supervisor")).get_id()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--small", action="store_true", help="300 decisions: the CI run that keeps this script working")
    args = parser.parse_args()
    main(300 if args.small else args.n, args.database_url)
