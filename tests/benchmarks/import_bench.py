"""Import benchmark: 100,000 decisions from JSONL into a fresh SQLite database.

Run: .venv/bin/python tests/benchmarks/import_bench.py [N] [--small]   (default N 100,000; --small: 300)
Prints decisions/second for the full import path (read, validate every field,
resolve references, derive deadlines, upsert, change log), and, as the peer,
the rate of a bare sqlite3 executemany of the same rows into the same table
(the ceiling: no validation, no derived fields, no links).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from enforcement import create_app
from enforcement.extensions import db


def main(n: int = 100_000) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="import-bench-"))
    app = create_app({"INSTANCE_DIR": tmp, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "SEARCH_INDEX_DIR": str(tmp / "idx")})
    with app.app_context():
        from enforcement.demo import decisions as demo_decisions
        from enforcement.demo.loader import load_demo
        from enforcement.demo.powers import derive_powers
        from enforcement.demo.town import officers
        from enforcement.disclosure.importing import import_file
        from enforcement.disclosure.models import Law

        db.create_all()
        load_demo(0)
        db.session.commit()
        import random

        powers = derive_powers(db.session.query(Law).all())
        staff = officers(random.Random(20210101))
        from enforcement.disclosure.formats import SPECS

        fields = {f.name for f in SPECS["decisions"].fields}
        path = tmp / "decisions.jsonl"
        t0 = time.perf_counter()
        with path.open("w", encoding="utf-8") as fh:
            for r in demo_decisions.generate(n, powers, staff, seed=7):
                r = {k: v for k, v in r.items() if k in fields}  # the import format only
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        print(f"generated {n:,} records in {time.perf_counter() - t0:.1f}s ({path.stat().st_size / 1e6:.0f} MB)")

        t0 = time.perf_counter()
        result = import_file("decisions", path)
        db.session.commit()
        elapsed = time.perf_counter() - t0
        print(f"platform import: {result} in {elapsed:.1f}s = {n / elapsed:,.0f} decisions/s")

        t0 = time.perf_counter()
        again = import_file("decisions", path)
        db.session.commit()
        elapsed2 = time.perf_counter() - t0
        print(f"re-import (all unchanged): {again} in {elapsed2:.1f}s = {n / elapsed2:,.0f} decisions/s")

        # Peer: bare executemany of the same rows into a copy of the table (the ceiling).
        rows = db.session.execute(text("SELECT * FROM decisions")).mappings().all()
        db.session.execute(text("CREATE TABLE peer AS SELECT * FROM decisions WHERE 0"))
        cols = list(rows[0].keys())
        raw = db.session.connection().connection.driver_connection
        t0 = time.perf_counter()
        raw.executemany(f"INSERT INTO peer ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                        [tuple(r[c] for c in cols) for r in rows])
        raw.commit()
        peer = time.perf_counter() - t0
        print(f"peer (sqlite3 executemany, no validation): {n / peer:,.0f} rows/s")
        print(f"platform/peer time ratio: {elapsed / peer:.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--small", action="store_true", help="300 decisions: the CI run that keeps this script working")
    args = parser.parse_args()
    main(300 if args.small else args.n)
