"""CPU time of one uncached public request, in-process: the figure the HTTP benchmark's noise hides.

Run: .venv/bin/python tests/benchmarks/list_cpu.py [--dir DIR] [--decisions N] [--small] [URL ...]
(--small: a fresh town of 300 decisions in a temporary DIR, 2 batches: the CI run that keeps it working)

Uses the demo town ``pages_bench.py`` builds in DIR (built there first if missing) and the same
app, with the page cache emptied before every request as a save does (``--modes after-write`` there).
Each URL is requested 8 × 50 times through the test client; prints the process CPU time per request
(minimum and median of the 8 batches), which other processes on a shared machine barely move, next
to a Flask hello-world's from the same app.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
URLS = ["/decisions", "/decisions?kind=penalty&year=2024&page=3", "/api/v1/decisions", "/bench/hello"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "pages-bench"))
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--small", action="store_true", help="300 decisions, 2 batches: the CI run")
    parser.add_argument("urls", nargs="*", default=URLS)
    args = parser.parse_args()
    batches_n = 8
    if args.small:
        args.dir, args.decisions, batches_n = tempfile.mkdtemp(prefix="list-cpu-small-"), 300, 2
        args.urls = [u.replace("page=3", "page=1") for u in args.urls]  # a small town has one page per year
    os.environ["PAGES_BENCH_DIR"] = args.dir
    os.environ["PAGES_BENCH_AFTER_WRITE"] = "1"
    sys.path.insert(0, str(ROOT))
    from tests.benchmarks.pages_bench import bench_app, build

    build(Path(args.dir), args.decisions)
    client = bench_app().test_client()
    for url in args.urls:
        for _ in range(5):  # warm: templates compiled, rows projected
            status = client.get(url).status_code
        batches = []
        for _ in range(batches_n):
            started = time.process_time()
            for _ in range(50):
                client.get(url)
            batches.append((time.process_time() - started) / 50 * 1000)
        batches.sort()
        print(f"{url:50} {status}  CPU per request: min {batches[0]:.2f} ms, median {batches[len(batches) // 2]:.2f} ms")


if __name__ == "__main__":
    main()
