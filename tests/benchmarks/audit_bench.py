"""How long the full audit takes over a demo town of N decisions (default 20,000), per check.

    .venv/bin/python tests/benchmarks/audit_bench.py [N] [--small]   (--small: 300 decisions)

Prints the load time and each check's time next to the number of rows it checked.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main(n: int) -> None:
    from enforcement import create_app
    from enforcement.audit.checks import CHECKS, Scope, check_codes
    from enforcement.demo.loader import load_demo
    from enforcement.demo.town import TODAY
    from enforcement.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}", "SECRET_KEY": "bench",
                          "INSTANCE_DIR": Path(tmp) / "instance"})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            load_demo(n)
            db.session.commit()
            print(f"demo load, {n:,} decisions: {time.perf_counter() - started:.1f} s")
            check_codes()
            total = 0.0
            for code, fn in CHECKS:
                started = time.perf_counter()
                result = fn(Scope(TODAY))
                elapsed = time.perf_counter() - started
                total += elapsed
                print(f"{code:20s} {elapsed:7.2f} s  checked {result.checked:>8,}  findings {len(result.items):>7,}")
            print(f"{'all checks':20s} {total:7.2f} s")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--small"]
    main(300 if "--small" in sys.argv[1:] else int(args[0]) if args else 20_000)
