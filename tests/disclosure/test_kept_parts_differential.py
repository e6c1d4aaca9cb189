"""Differential test of the parts of public pages the app keeps in memory and reuses between requests.

The site header (search box echoing the query, the 大字版/标准字号 link whose ``next`` carries the current
path and query), the result-count line, the pager (links and the jump form's hidden inputs) and the export
links are rendered once and reused for later requests. A part kept for one request must never be shown for
another where it should differ, so for every URL below:

* **reference**: the response a brand-new app instance gives for that URL as its *very first* request. Each
  reference request runs in its own process, forked from a clean helper process (this file run as a script)
  that has created the app but never served a request: no page cache, no kept part, no module-level state
  left by another request can reach it. Before forking, the helper only warms what is the same for every
  request and holds nothing rendered (jieba's dictionaries, the SQLAlchemy mappers, the compiled public
  templates, one masking call on a fixed sentence), so that a fork costs ~0.15 s instead of ~3 s. No cache
  is cleared to make a reference: every reference app is genuinely fresh.
* **served**: the responses of one long-lived app instance (in this process) that serves every URL in
  several rounds, each in a new shuffled order, so each URL comes after many others, with and without the
  ``textsize=large`` cookie. Two ways:

  - *rendered*: before each request the whole-page store of the page cache (``ResponseCache.store`` in
    ``app.extensions["response_cache"]``) is emptied, so every page is rendered again from whatever parts
    the instance keeps. That store is the only thing the test clears; the kept parts, projected rows and
    row fragments stay warm.
  - *served*: as in production, whole pages may also come from the page cache.

Status, ``Location`` and ``Content-Type`` must match and the HTML must be byte-identical. Two fresh instances
were compared first (and the test re-checks a few URLs twice in fresh processes): nothing differs between
instances (no CSRF token or nonce on these anonymous GET pages with the test configuration), so nothing is
stripped or normalised. "Today" is pinned to one date for both sides (the print footer shows it).

URLs are written the way people and browsers write them: percent-encoded and raw UTF-8 Chinese, lower-case
hex, ``+`` and ``%20``, full-width digits, repeated and empty parameters, names in other orders, stray ``&``,
a trailing ``?``, very long search text, HTML metacharacters, bidi and zero-width characters, and tracking
parameters appended by messaging apps.
"""

from __future__ import annotations

import base64
import difflib
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
RENDERED_ROUNDS = 2  # rounds in which every page is rendered (the whole-page store emptied before each request)
SERVED_ROUNDS = 2  # rounds served as in production (whole pages from the page cache when it has them)
SEED = 20240601
DECISIONS = 1200  # generated decisions: ~330 on show, 17 pages of the list
LARGE = "textsize=large"


@dataclass(frozen=True)
class Case:
    url: str  # exactly as sent: path, then "?" and the raw query string (if any)
    status: int  # what a fresh instance must answer
    large: bool = False  # with the textsize=large cookie

    @property
    def ident(self) -> str:
        return f"{self.url}{' [大字]' if self.large else ''}"


def pct(text: str) -> str:
    """Percent-encoded as a browser's address bar or a GET form sends it (space as %20)."""
    return quote(text, safe="")


def form(text: str) -> str:
    """Encoded as an HTML form submits it (application/x-www-form-urlencoded: space as '+')."""
    return quote(text, safe="").replace("%20", "+")


GAS, ALARM, FOOD = "燃气", "报警", "餐饮"
TAGS = "<script>alert(\"x\")</script> & 'y' <b>"
ZWSP, ZWJ, BOM, RLO, LRI, PDI, RLM = "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "\u2069", "\u200f"
LONG_CN = ("燃气泄漏报警装置未安装" * 110)[:1100]  # 1,100 characters, ~9,900 bytes encoded
LONG_ASCII = " ".join(["gas"] * 300)  # 1,199 characters
LIST_LONG = "燃气" * 120  # 240 characters: past a list filter's 200-character limit

C = Case
CASES: list[Case] = [
    # ------------------------------------------------------------ decisions
    C("/decisions", 200), C("/decisions", 200, large=True), C("/decisions?", 200), C("/decisions?", 200, large=True),
    C("/decisions?page=2", 200), C("/decisions?page=2", 200, large=True),
    C("/decisions?page=3", 200), C("/decisions?page=" + pct("３"), 200), C("/decisions?page=３", 200),
    C("/decisions?page=" + pct("３"), 200, large=True),
    C("/decisions?kind=penalty", 200), C("/decisions?kind=penalty&kind=inspection", 200),
    C("/decisions?kind=inspection&kind=penalty", 200, large=True),
    C("/decisions?kind=&page=", 200),
    C("/decisions?kind=&agency=&year=&date_from=&date_to=&state=&q=&party=", 200),
    C("/decisions?kind=penalty&page=2", 200), C("/decisions?page=2&kind=penalty", 200),
    C("/decisions?page=2&kind=penalty", 200, large=True),
    C("/decisions?kind=penalty&agency=1&year=2025&page=2", 200),
    C("/decisions?year=2025&page=2&agency=1&kind=penalty", 200),
    C("/decisions?year=" + pct("２０２５") + "&page=" + pct("２"), 200),
    C("/decisions?kind=penalty&", 200), C("/decisions?&&kind=penalty&&page=2&", 200), C("/decisions?page", 200),
    C("/decisions?page=2&from=singlemessage&isappinstalled=0", 200),
    C("/decisions?q=" + pct(GAS), 200), C("/decisions?q=" + GAS, 200), C("/decisions?q=" + pct(GAS).lower(), 200),
    C("/decisions?q=" + form(f"{GAS} {ALARM}"), 200), C("/decisions?q=" + pct(f"{GAS} {ALARM}"), 200),
    C("/decisions?q=" + form(f"{GAS} {ALARM}") + "&kind=penalty", 200, large=True),
    C("/decisions?q=" + pct(GAS) + "&kind=penalty", 200), C("/decisions?kind=penalty&q=" + pct(GAS), 200),
    C("/decisions?q=" + pct(TAGS), 200), C("/decisions?party=" + pct(TAGS) + "&page=1", 200),
    C("/decisions?q=" + pct(GAS[0] + ZWSP + GAS[1]), 200), C("/decisions?q=" + pct(RLO + GAS + LRI + FOOD + PDI), 200),
    C("/decisions?q=" + pct(LIST_LONG), 400), C("/decisions?q=" + pct(LONG_CN), 400),
    C("/decisions?page=0", 400), C("/decisions?page=abc", 400), C("/decisions?page=99999", 400),
    C("/decisions?page=-1", 400), C("/decisions?page=0", 400, large=True),
    C("/decisions?kind=penalty&page=99999", 400), C("/decisions?page=99999&kind=penalty", 400),
    C("/decisions?kind=nonsense&page=2", 400), C("/decisions?kind=" + pct(TAGS), 400),
    C("/decisions?page=abc&q=" + pct(TAGS), 400),
    C("/decisions?per_page=50", 200), C("/decisions?per_page=100&page=2", 200),
    C("/decisions?page=2&per_page=100", 200), C("/decisions?per_page=" + pct("１０") + "&page=3", 200),
    C("/decisions?per_page=101", 400), C("/decisions?per_page=", 200),
    C("/decisions?date_from=2025/1/1&date_to=" + pct("2025年12月31日"), 200),
    C("/decisions?date_from=2025-02-30", 400), C("/decisions?state=withdrawn", 200),
    # ------------------------------------------------------------ the other lists
    C("/agencies", 200), C("/agencies", 200, large=True),
    C("/agencies?q=" + pct("综合") + "&legal_status=", 200),
    C("/agencies?q=&legal_status=", 200), C("/agencies?page=2", 400),
    C("/officers", 200), C("/officers?per_page=10&page=2", 200), C("/officers?page=2&per_page=10", 200),
    C("/officers?per_page=10&page=" + pct("３"), 200, large=True),
    C("/officers?state=valid&agency=2", 200), C("/officers?page=abc", 400),
    C("/powers", 200), C("/powers", 200, large=True), C("/powers?page=2", 200), C("/powers?page=" + pct("３"), 200),
    C("/powers?page=7", 400), C("/powers?category=penalty&page=2", 200),
    C("/powers?page=2&category=penalty", 200), C("/powers?category=penalty&category=inspection", 200),
    C("/powers?q=" + form(f"{GAS} {ALARM}"), 200), C("/powers?per_page=50&page=2", 200),
    C("/procedures", 200), C("/procedures?agency=&q=", 200),
    C("/inspection-items", 200), C("/inspection-items?per_page=3&page=2", 200),
    C("/inspection-items?page=2&per_page=3", 200, large=True), C("/inspection-items?agency=1&q=" + pct(GAS), 200),
    C("/laws", 200), C("/laws?title=" + pct(GAS), 200),
    C("/laws?per_page=5&page=2", 200), C("/laws?page=2&per_page=5", 200), C("/laws?title=" + pct(TAGS), 200),
    C("/laws?page=99999", 400),
    # ------------------------------------------------------------ search
    C("/search", 200), C("/search?", 200), C("/search?q=&page=", 200),
    C("/search?q=" + pct(GAS), 200), C("/search?q=" + pct(GAS), 200, large=True), C("/search?q=" + GAS, 200),
    C("/search?q=" + form(f"{GAS} {FOOD}"), 200), C("/search?q=" + pct(f"{GAS} {FOOD}"), 200),
    C("/search?q=" + form(f"{GAS} {FOOD}") + "&page=2", 200),
    C("/search?page=2&q=" + form(f"{GAS} {FOOD}"), 200),
    C("/search?q=" + pct(GAS) + "&page=" + pct("３"), 200), C("/search?q=" + pct(GAS) + "&page=3", 200),
    C("/search?q=" + pct(GAS) + "&kind=penalty&kind=inspection", 200),
    C("/search?q=" + pct(GAS) + "&kind=inspection&kind=penalty", 200),
    C("/search?q=" + pct(GAS) + "&category=decision&year=2025&sort=date", 200),
    C("/search?sort=date&year=2025&category=decision&q=" + pct(GAS), 200, large=True),
    C("/search?q=" + pct(GAS) + "&category=&kind=&agency=&year=&sort=&page=", 200),
    C("/search?q=" + pct(GAS) + "&per_page=5&page=2", 200), C("/search?q=" + pct(GAS) + "&per_page=101", 400),
    C("/search?q=" + pct(GAS) + "&page=0", 400), C("/search?q=" + pct(GAS) + "&page=abc", 400),
    C("/search?q=" + pct(GAS) + "&page=99999", 200, large=True),
    C("/search?q=" + pct(TAGS), 200),
    C("/search?q=" + form(TAGS) + "&page=abc", 400),
    C("/search?q=" + pct(GAS[0] + ZWSP + GAS[1]), 200), C("/search?q=" + pct(BOM + GAS + ZWJ), 200),
    C("/search?q=" + pct(RLO + GAS + RLM + FOOD), 200), C("/search?q=" + pct(LRI + TAGS + PDI), 200),
    C("/search?q=" + pct(LONG_CN), 200), C("/search?q=" + pct(LONG_CN), 200, large=True),
    C("/search?q=" + form(LONG_ASCII), 200), C("/search?q=" + pct(LONG_CN) + "&page=abc", 400),
    C("/search?q=" + pct(GAS) + "&from=groupmessage", 200),
    # ------------------------------------------------------------ pages with the header only
    C("/", 200), C("/?", 200, large=True),
]

TWINS = CASES[::45]  # also served by a second fresh process each: two fresh instances must agree


def _wsgi_str(text: str) -> str:
    """A WSGI environ string: the UTF-8 bytes read as latin-1."""
    return text.encode("utf-8").decode("latin-1")


def fetch(client, url: str, large: bool) -> dict:
    """One GET exactly as a WSGI server would pass ``url`` on (the query string byte for byte, the raw
    request URI, trailing '?' included); the same code runs in both the fresh and the long-lived app."""
    path, _, query = url.partition("?")
    headers = {"Cookie": LARGE} if large else {}
    response = client.get(path, query_string=query, headers=headers,
                          environ_overrides={"REQUEST_URI": _wsgi_str(url), "RAW_URI": _wsgi_str(url)})
    return {"status": response.status_code, "location": response.headers.get("Location", ""),
            "type": response.headers.get("Content-Type", ""), "body": response.get_data(),
            "x_cache": response.headers.get("X-Cache", "-")}


# ---------------------------------------------------------------- the fresh side (this file as a script)


def _fresh_helper(spec_path: str) -> None:
    """Create the app, warm what holds nothing rendered, then serve each case first in its own fork."""
    sys.path.insert(0, str(ROOT))
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    import jieba
    import jieba.posseg  # noqa: F401  (the masking's name tagger)
    from sqlalchemy.orm import configure_mappers

    from enforcement import create_app
    from enforcement.core.masking import mask_text
    from enforcement.extensions import db
    from enforcement.search.analysis import jieba_tokenizer

    app = create_app(dict(spec["config"]))
    jieba.setLogLevel(60)
    jieba.initialize()
    jieba_tokenizer()
    configure_mappers()
    mask_text("当事人张三未安装燃气泄漏报警装置，证人李四在场。", party_names=["张三"])
    import enforcement.search.whoosh_engine  # noqa: F401  (numpy and the engine's imports)

    public = ("base.html", "_public_nav.html", "disclosure/", "search/", "errors/")
    for name in app.jinja_env.list_templates(filter_func=lambda n: n.startswith(public)):
        app.jinja_env.get_template(name)  # compiled, never rendered
    gc.collect()
    gc.freeze()  # the children share the parent's pages instead of copying them for the collector
    results = []
    for url, large in spec["cases"]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: this app's first and only request
            os.close(read_fd)
            try:
                with app.app_context():
                    db.engine.dispose(close=False)  # never share the parent's connections
                got = fetch(app.test_client(use_cookies=False), url, large)
                got["body"] = base64.b64encode(got["body"]).decode()
            except BaseException as exc:  # reported, not raised: the parent must hear back
                got = {"error": repr(exc)}
            with os.fdopen(write_fd, "wb") as out:
                out.write(json.dumps(got).encode())
            os._exit(0)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        results.append(json.loads(data) if data else {"error": "the child died without an answer"})
    Path(spec["out"]).write_text(json.dumps(results), encoding="utf-8")


def fresh_responses(config: dict, cases: list[tuple[str, bool]]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        spec, out = Path(tmp) / "spec.json", Path(tmp) / "out.json"
        spec.write_text(json.dumps({"config": config, "cases": cases, "out": str(out)}), encoding="utf-8")
        done = subprocess.run([sys.executable, __file__, str(spec)], cwd=ROOT, capture_output=True, text=True,
                              timeout=240)
        assert done.returncode == 0 and out.exists(), f"fresh helper failed:\n{done.stdout}\n{done.stderr[-4000:]}"
        results = json.loads(out.read_text(encoding="utf-8"))
    for r in results:
        assert "error" not in r, r.get("error")
        r["body"] = base64.b64decode(r["body"])
    return results


# ---------------------------------------------------------------- comparing


def short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} characters)"


def first_differences(fresh: bytes, served: bytes, hunks: int = 5, lines: int = 2) -> str:
    """The first differing lines of both bodies (up to ``hunks`` places), with line numbers."""
    a = fresh.decode("utf-8", "replace").splitlines()
    b = served.decode("utf-8", "replace").splitlines()
    shown = []
    for tag, i1, _i2, j1, _j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        show_a = "\n".join(f"    {n + 1:4}: {short(line.strip(), 400)}" for n, line in enumerate(a[i1:i1 + lines], i1))
        show_b = "\n".join(f"    {n + 1:4}: {short(line.strip(), 400)}" for n, line in enumerate(b[j1:j1 + lines], j1))
        shown.append(f"  fresh:\n{show_a or '    (nothing)'}\n  served:\n{show_b or '    (nothing)'}")
        if len(shown) == hunks:
            break
    return "\n".join(shown) or "  (same lines; the bytes differ in line endings)"


def compare(fresh: dict, served: dict) -> str | None:
    for field in ("status", "location", "type"):
        if fresh[field] != served[field]:
            return f"  {field}: fresh {fresh[field]!r}, served {served[field]!r}"
    if fresh["body"] != served["body"]:
        return first_differences(fresh["body"], served["body"])
    return None


# ---------------------------------------------------------------- the tests


def app_config(app) -> dict:
    """The town's configuration for both sides, "today" pinned (the print footer shows the date)."""
    from enforcement.core import clock

    with app.app_context():
        today = clock.today().isoformat()
    return {
        "TESTING": True, "SECRET_KEY": app.config["SECRET_KEY"], "INSTANCE_DIR": app.instance_path,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "RECORDS_DIR": app.config["RECORDS_DIR"],
        "WTF_CSRF_ENABLED": False, "SEARCH_SYNC_AFTER_REQUEST": False, "TODAY": today,
    }


@dataclass
class Reference:
    config: dict
    first: dict[Case, dict]  # each case as a fresh instance's first request
    twins: list[tuple[Case, dict]]  # a second fresh instance's first request, for a few cases


def load_public_town(n_decisions: int) -> None:
    """The demo town's public side only (the bundled laws, agencies, officers, powers, procedures,
    inspection items and decisions, through the demo loader's own steps), without the training, requests,
    inspections and audit data no page below shows: a third of ``load_demo``'s time. The caller commits."""
    from sqlalchemy import select

    from enforcement.demo import loader, town
    from enforcement.demo.powers import derive_powers
    from enforcement.disclosure.laws import citation_of, load_bundled_laws
    from enforcement.disclosure.models import LawArticle
    from enforcement.extensions import db

    rng = random.Random(20210101)
    laws = load_bundled_laws()
    loader._import("agencies", town.AGENCIES)
    officers = town.officers(rng)
    loader._import("officers", officers)
    powers = derive_powers(laws)
    articles = {a.id: a for a in db.session.scalars(
        select(LawArticle).where(LawArticle.id.in_([p.article_id for p in powers])))}
    loader._import("powers", [
        {"code": p.code, "name": p.name, "category": p.category, "agency_credit_code": town.TOWN_GOV,
         "basis": [citation_of(articles[p.article_id])], "discretion": loader._discretion(p),
         "source": "京政发〔2020〕9号下放"}
        for p in powers
    ])
    loader._import("procedures", town.procedure_records())
    loader._import("inspection-items", town.inspection_item_records())
    loader._decisions(n_decisions, powers, officers, lambda _message: None)


@pytest.fixture(scope="module")
def public_town(tmp_path_factory):
    """A town of its own (nothing another test does can change it), with its search index."""
    from enforcement.extensions import db
    from enforcement.search.services import rebuild
    from tests.conftest import drop_schema, make_app

    app, url = make_app(tmp_path_factory.mktemp("kept_parts"), "kept_parts")
    with app.app_context():
        load_public_town(DECISIONS)
        db.session.commit()
        rebuild()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_schema(url)


@pytest.fixture(scope="module")
def reference(public_town) -> Reference:
    if not hasattr(os, "fork"):
        pytest.skip("each reference request runs in a forked process")
    config = app_config(public_town)
    fresh = fresh_responses(config, [(c.url, c.large) for c in [*CASES, *TWINS]])
    return Reference(config, dict(zip(CASES, fresh[:len(CASES)], strict=True)),
                     list(zip(TWINS, fresh[len(CASES):], strict=True)))


def serve_shuffled(ref: Reference, rounds: int, seed: int, *, render_every_page: bool) -> dict[Case, str]:
    """Every case ``rounds`` times, each round in a new shuffled order, by one long-lived app instance;
    returns the first difference from the fresh reference per differing case.

    ``render_every_page``: the whole-page store (``core.cache``'s ``ResponseCache.store``, in
    ``app.extensions["response_cache"]``) is emptied before each request, so every page is rendered again
    while everything else the instance keeps (kept parts, projected rows, row fragments) stays warm. Only
    that store is cleared; nothing else in ``app.extensions`` is touched."""
    from enforcement import create_app
    from enforcement.core import calendar, settings
    from enforcement.core.cache import get_cache
    from enforcement.extensions import db

    settings.invalidate()  # module-level read caches another test's database may have filled (as conftest does)
    calendar.invalidate()
    served_app = create_app(dict(ref.config))
    client = served_app.test_client(use_cookies=False)
    store = get_cache(served_app).store
    rng = random.Random(seed)
    failures: dict[Case, str] = {}
    previous = "(none)"
    try:
        for round_no in range(1, rounds + 1):
            order = list(CASES)
            rng.shuffle(order)
            for position, case in enumerate(order, 1):
                if render_every_page:
                    store.clear()
                served = fetch(client, case.url, case.large)
                problem = compare(ref.first[case], served)
                if problem and case not in failures:
                    failures[case] = (f"{short(case.ident)}\n  [round {round_no}, request {position}, "
                                      f"X-Cache: {served['x_cache']}, after {short(previous, 100)}]\n{problem}")
                previous = case.ident
    finally:
        with served_app.app_context():
            db.engine.dispose()
    return failures


def report(failures: dict[Case, str]) -> None:
    if failures:
        pytest.fail(f"{len(failures)} of {len(CASES)} URLs differ from a fresh instance's first response:\n\n"
                    + "\n\n".join(failures.values()), pytrace=False)


def test_the_cases_are_distinct():
    idents = [c.ident for c in CASES]
    assert len(idents) == len(set(idents)), [i for i in idents if idents.count(i) > 1]
    assert len(CASES) >= 100


def test_two_fresh_instances_agree(reference):
    """Nothing differs between instances, so nothing needs stripping before the comparisons below."""
    for case, twin in reference.twins:
        assert compare(reference.first[case], twin) is None, f"two fresh instances differ on {case.ident}"


def test_a_fresh_instance_answers_each_url_with_the_expected_status(reference):
    wrong = [f"{c.ident}: {reference.first[c]['status']} (expected {c.status})" for c in CASES
             if reference.first[c]["status"] != c.status]
    assert not wrong, "unexpected status from a fresh instance:\n" + "\n".join(wrong)


def test_pages_rendered_after_many_others_equal_a_fresh_instances_first_page(reference):
    """The kept parts alone: every page rendered (no whole page reused), after all the others."""
    report(serve_shuffled(reference, RENDERED_ROUNDS, SEED, render_every_page=True))


def test_pages_served_after_many_others_equal_a_fresh_instances_first_page(reference):
    """As in production: the page cache on, so a whole page may also be reused."""
    report(serve_shuffled(reference, SERVED_ROUNDS, SEED + 1, render_every_page=False))


if __name__ == "__main__":
    _fresh_helper(sys.argv[1])
