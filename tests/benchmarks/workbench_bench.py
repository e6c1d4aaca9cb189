"""What masking costs the staff workbench: GET /staff/ as the demo officer, masked (the page as served)
against the same page with the masking global replaced by the raw text (the peer), same process, same data.

Run: .venv/bin/python tests/benchmarks/workbench_bench.py  (the 3,000-decision demo town, 15 requests per
round, 2 rounds). --small: a 300-decision town, 5 requests per round, 1 round (well under 30 s).
Prints the median time of each variant per round and the ratio masked/raw of the best rounds.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    small = "--small" in sys.argv
    decisions, per_round, rounds = (300, 5, 1) if small else (3000, 15, 2)
    from enforcement.demo.loader import load_demo
    from enforcement.disclosure import staff_display
    from enforcement.extensions import db
    from tests.conftest import login_as, make_app

    app, _ = make_app(Path(tempfile.mkdtemp()), "workbench_bench")
    with app.app_context():
        load_demo(decisions)
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    login_as(client, "officer")

    def median_ms() -> float:
        times = []
        for _ in range(per_round):
            start = time.perf_counter()
            assert client.get("/staff/").status_code == 200
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    median_ms()  # warm-up: templates compiled, caches filled
    results: dict[str, list[float]] = {"masked": [], "raw": []}
    for _ in range(rounds):
        results["masked"].append(median_ms())
        app.jinja_env.globals["staff_masked"] = lambda d, text: text or ""
        results["raw"].append(median_ms())
        app.jinja_env.globals["staff_masked"] = staff_display.masked
    load = os.getloadavg()[0]
    for name, values in results.items():
        print(f"{name:7s} " + "  ".join(f"{v:.1f} ms" for v in values))
    print(f"masked/raw {min(results['masked']) / min(results['raw']):.2f}  (load average {load:.2f})")


if __name__ == "__main__":
    main()
