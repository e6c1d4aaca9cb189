"""Masking benchmark: facts texts per second, the detection engine beside the scanner it replaced.

Run: .venv/bin/python tests/benchmarks/masking_bench.py [N] [--peer-rev REV] [--small]   (--small: 500 texts)
Generates N (default 100,000) demo facts texts (with the demo's parties, witnesses, phones, IDs and
accounts in them), then times, on one core and on the same texts in the same run:
- the engine (``enforcement.core.masking.scan`` with each record's context, as the projection calls it);
- the peer: the scanner as it was before the engine (``enforcement/core/masking.py`` at ``--peer-rev``,
  default ``ce017d1``, read from git history), with the same names, addresses and keep values.
It prints texts/second for each and the ratio, and how many texts each one left with a raw private
value of the record in them (the demo's known values, which both should hide).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def peer_scanner(rev: str):
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:enforcement/core/masking.py"],
                            check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("masking_peer")
    sys.modules["masking_peer"] = module  # dataclasses look their module up while the source runs
    exec(compile(source, "masking_peer.py", "exec"), module.__dict__)
    return module


def demo_records(n: int) -> list[dict]:
    from enforcement import create_app
    from enforcement.extensions import db

    tmp = Path(tempfile.mkdtemp(prefix="masking-bench-"))
    app = create_app({"INSTANCE_DIR": tmp, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "SEARCH_INDEX_DIR": str(tmp / "idx")})
    with app.app_context():
        from enforcement.demo import decisions as demo_decisions
        from enforcement.demo.loader import load_demo
        from enforcement.demo.powers import derive_powers
        from enforcement.demo.town import officers
        from enforcement.disclosure.models import Law

        db.create_all()
        load_demo(0)
        powers = derive_powers(db.session.query(Law).all())
        staff = officers(random.Random(20210101))
        return list(demo_decisions.generate(n, powers, staff, seed=7))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--peer-rev", default="ce017d1")
    parser.add_argument("--small", action="store_true", help="500 texts: the CI run that keeps this script working")
    args = parser.parse_args()
    if args.small:
        args.n = 500

    from enforcement.core import masking

    peer = peer_scanner(args.peer_rev)
    t0 = time.perf_counter()
    records = demo_records(args.n)
    print(f"generated {len(records):,} demo decisions in {time.perf_counter() - t0:.1f}s; "
          f"mean facts length {sum(len(r['facts']) for r in records) / len(records):.0f} characters")

    def inputs(r):
        person = r["party_type"] == "person"
        names = ([r["party_name"]] if person else []) + ([r["party_legal_rep"]] if r["party_type"] == "sole_trader" else [])
        return names, list(r["other_names"]), ([r["party_address"]] if r["party_type"] != "organisation" else []), \
            [r["party_credit_code"]]

    prepared = [(r["facts"], *inputs(r)) for r in records]
    contexts = [masking.context(party_names=p, names=o, addresses=a, keep=k,
                                numbers=[("id_number", r["party_id_number"]), ("phone", r["party_phone"]),
                                         ("bank_account", r["party_bank_account"])] if r["party_type"] != "organisation" else [])
                for r, (_t, p, o, a, k) in zip(records, prepared, strict=True)]

    def leaks(masked: list[str]) -> int:
        count = 0
        for r, text in zip(records, masked, strict=True):
            private = [r["party_id_number"], r["party_bank_account"]]
            if r["party_type"] != "organisation":
                private += [r["party_phone"]]
            if any(v and v in text for v in private):
                count += 1
        return count

    # Warm both up (jieba's dictionary loads on the engine's first name check: ~1 s once per process).
    for (t, p, o, a, k), c in list(zip(prepared, contexts, strict=True))[:200]:
        peer.mask_text(t, names=o, party_names=p, addresses=a, keep=k)
        masking.mask_text(t, c)
    masking._compile.cache_clear()
    t0 = time.perf_counter()
    old = [peer.mask_text(t, names=o, party_names=p, addresses=a, keep=k) for t, p, o, a, k in prepared]
    peer_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    new = [masking.mask_text(t, c) for (t, *_rest), c in zip(prepared, contexts, strict=True)]
    engine_s = time.perf_counter() - t0
    n = len(records)
    print(f"peer (scanner before the engine, {args.peer_rev}): {n / peer_s:,.0f} texts/s; "
          f"texts with a raw value left: {leaks(old):,}")
    print(f"engine:                                    {n / engine_s:,.0f} texts/s; "
          f"texts with a raw value left: {leaks(new):,}")
    print(f"engine / peer speed: {peer_s / engine_s:.2f}x (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
