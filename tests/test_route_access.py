"""Every route in the app, as anonymous and as each role: the expected 200/302/403, never a 500.

Two more accounts walk the staff side with case-level rules (``disclosure.policy``):
an officer of another agency, who gets 403 on every page and action of a case
of an agency that is not theirs (and its record downloads), and an account
holding both the officer and reviewer roles, who gets what either role allows.

Staff routes are found from ``ALLOWED_ROLES`` (one entry per staff blueprint) and
a view's ``allowed_roles`` (``roles_required``), so a route added later by any
domain is walked too. URL parameters are filled with ids of demo records.
Anonymous pages must not show staff data: drafts, raw party data, officers'
private numbers.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from enforcement.accounts.access import ALLOWED_ROLES
from enforcement.accounts.models import User
from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    Law,
    Officer,
    Power,
    ProcedureGuide,
    ProcessRecord,
)
from enforcement.extensions import db
from enforcement.requests.models import InfoRequest, RequestAppeal
from tests.conftest import login_as

ROLES = {"officer": "officer", "reviewer": "reviewer", "supervisor": "supervisor", "admin": "admin"}
# identity -> (user name, roles); the last two are created by the ``walk_accounts`` fixture.
ACCOUNTS = {**{r: (r, frozenset({r})) for r in ROLES},
            "officer_elsewhere": ("walk-elsewhere", frozenset({"officer"})),
            "officer_reviewer": ("walk-dual", frozenset({"officer", "reviewer"}))}
IDENTITIES = [None, *ACCOUNTS]
# A case of the town's safety inspection team: the team of the walk's officer accounts is not part of it.
OTHER_AGENCY = "12110115MB1D29374J"
# The collection a path segment names -> the model whose demo id fills the parameter after it.
COLLECTIONS = {"decisions": Decision, "agencies": Agency, "officers": Officer, "powers": Power,
               "procedures": ProcedureGuide, "inspection-items": InspectionItem, "laws": Law, "users": User,
               "records": ProcessRecord, "requests": InfoRequest, "appeals": RequestAppeal}
# Routes about the user's own officer record: a user who is not an officer has nothing there.
OWN_RECORD_ONLY = {"training_api.my_standing"}
PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


class Filler:
    """Demo values for URL parameters; ``exact`` says whether every parameter of a rule was known."""

    def __init__(self, other_agency: bool = False):
        self.public_decision = db.session.scalar(select(Decision.id).where(
            Decision.status == "published", Decision.party_type == "person", Decision.masking_confirmed == "",
            Decision.party_is_minor.is_(False), Decision.expires_on > func.current_date()).order_by(Decision.id))
        self.ids = {name: db.session.scalar(select(func.min(model.id))) for name, model in COLLECTIONS.items()}
        self.ids["decisions"] = self.public_decision if not other_agency else other_agency_case()
        on_case = select(ProcessRecord.public_id).where(ProcessRecord.decision_id == self.ids["decisions"])
        self.public_id = db.session.scalar((on_case if other_agency else select(ProcessRecord.public_id))
                                           .order_by(ProcessRecord.id).limit(1))
        self.tables = {t.name: t for t in db.metadata.sorted_tables}

    def _by_table_guess(self, name: str):
        """An id for ``<thing>_id`` from a table named like things (other domains' routes)."""
        stem = name[:-3] if name.endswith("_id") else name
        candidates = sorted((t for n, t in self.tables.items() if n.endswith(stem + "s") and "id" in t.c), key=lambda t: len(t.name))
        return db.session.scalar(select(func.min(candidates[0].c.id))) if candidates else None

    def fill(self, rule: str) -> tuple[str, bool]:
        exact = True
        path = rule

        def value(m: re.Match) -> str:
            nonlocal exact
            converter, name = m.group(1) or "string", m.group(2)
            before = rule[: m.start()].rstrip("/").rsplit("/", 1)[-1]
            if name == "kind":
                return "agencies" if rule.startswith("/staff/") else "decisions"
            if name == "year":
                return "2025"
            if name == "filename":
                return "css/site.css"
            if name == "public_id":
                return self.public_id
            if before in COLLECTIONS and self.ids.get(before):
                return str(self.ids[before])
            if name == "record_id" and "<kind>" in rule:
                return str(self.ids["agencies"])
            guess = self._by_table_guess(name) if converter == "int" else None
            exact = False
            return str(guess or 1) if converter == "int" else "x"

        path = PARAM.sub(value, rule)
        return path, exact


def expected_roles(app, rule) -> frozenset[str] | None:
    """Roles allowed on a staff route; None for a public one."""
    blueprint = rule.endpoint.rsplit(".", 1)[0] if "." in rule.endpoint else ""
    narrow = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
    allowed = ALLOWED_ROLES.get(blueprint)
    if allowed is None and narrow is None:
        return None
    roles = allowed if allowed is not None else frozenset(ROLES)
    return roles & narrow if narrow is not None else roles


@pytest.fixture(scope="module")
def private_values(demo_app):
    """Values only staff may see: draft numbers, raw party data of a public decision, officers' private data."""
    with demo_app.app_context():
        drafts = db.session.scalars(select(Decision.number).where(Decision.status.in_(["draft", "in_review"]))).all()
        d = db.session.get(Decision, Filler().public_decision)
        officer = db.session.scalars(select(Officer).where(Officer.phone != "")).first()
        values = [*drafts, d.party_id_number, d.party_phone, d.party_bank_account, d.party_name,
                  officer.phone, officer.id_number]
        # Applicants for information: identities, contacts and what they asked for are never public.
        for r in db.session.scalars(select(InfoRequest)):
            values += [r.applicant_name, r.id_document_number, r.phone, r.address, r.description, r.tracking_number]
        db.session.remove()
    assert len(drafts) >= 3
    return [v for v in values if v]


def readable_bytes(response) -> bytes:
    """The body as searchable bytes: an XLSX export is a zip of XML sheets."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    return data


def other_agency_case() -> int:
    """A published case of the safety team, with a filed record (filed by the ``walk_accounts`` fixture)."""
    from enforcement.disclosure.models import Agency

    return db.session.scalar(select(Decision.id).join(Agency, Decision.agency_id == Agency.id).where(
        Agency.credit_code == OTHER_AGENCY, Decision.status == "published").order_by(Decision.id).limit(1))


@pytest.fixture(scope="module")
def walk_accounts(demo_app):
    """An officer of the enforcement team with no part in the safety team's cases, and an officer who is also
    a qualified legal reviewer; one record filed on the safety team's case."""
    from enforcement.accounts.services import create_user
    from enforcement.disclosure import records
    from enforcement.disclosure.models import Agency

    with demo_app.app_context():
        if db.session.scalar(select(User.id).where(User.username == "walk-dual")) is None:
            team = db.session.scalar(select(Agency.id).where(Agency.credit_code == "12110115MB0X76251M"))
            create_user("walk-elsewhere", "walk-password-2026", ["officer"], agency_id=team)
            create_user("walk-dual", "walk-password-2026", ["officer", "reviewer"], agency_id=team,
                        has_legal_qualification=True)
            case = db.session.get(Decision, other_agency_case())
            records.file_record(case, kind="text", title="笔录", file_name="笔录.txt", content_type="text/plain",
                                stream=io.BytesIO(b"note"), filed_by="system")
            db.session.commit()
        db.session.remove()


def case_route(rule) -> bool:
    """A staff route about one case (or one of its records): the case policy decides, not only the role."""
    return rule.rule.startswith("/staff/decisions/") and ("<int:decision_id>" in rule.rule or "<public_id>" in rule.rule
                                                          or "<string:public_id>" in rule.rule)


def walk(demo_app, identity):
    client = demo_app.test_client()
    held = ACCOUNTS[identity][1] if identity else frozenset()
    if identity:
        login_as(client, ACCOUNTS[identity][0])
    with demo_app.app_context():
        filler = Filler(other_agency=identity == "officer_elsewhere")
        rules = sorted(demo_app.url_map.iter_rules(), key=lambda r: r.rule)
        plan = [(r, *filler.fill(r.rule), expected_roles(demo_app, r)) for r in rules]
        db.session.remove()
    for rule, path, exact, roles in plan:
        if "GET" in rule.methods:
            yield rule, path, exact, roles, client.get(path)
        elif roles is not None and (identity is None or not held & roles):
            yield rule, path, exact, roles, client.post(path)  # refused before the view runs: writes nothing
        elif identity == "officer_elsewhere" and case_route(rule):
            yield rule, path, exact, roles, client.post(path)  # refused by the case policy: writes nothing


@pytest.mark.parametrize("identity", IDENTITIES, ids=lambda i: i or "anonymous")
def test_every_route_answers_as_expected(demo_app, walk_accounts, identity, private_values):
    problems, walked = [], 0
    held = ACCOUNTS[identity][1] if identity else frozenset()
    for rule, path, exact, roles, response in walk(demo_app, identity):
        walked += 1
        status, location = response.status_code, response.headers.get("Location", "")
        to_login = status == 302 and location.startswith("/login")
        if status >= 500:
            problems.append(f"{path}: {status}")
        elif roles is not None and identity is None:
            if not to_login:
                problems.append(f"{path}: anonymous got {status}, expected 302 to /login")
        elif roles is not None and not held & roles:
            if status != 403:
                problems.append(f"{path}: {identity} got {status}, expected 403")
        elif identity == "officer_elsewhere" and case_route(rule):
            if status != 403:
                problems.append(f"{path}: an officer of another agency got {status}, expected 403")
        elif to_login or status == 403:
            problems.append(f"{path}: {identity} refused ({status}) but allowed")
        elif exact and status != 200 and not 300 <= status < 400:
            if not (status == 404 and rule.endpoint in OWN_RECORD_ONLY):
                problems.append(f"{path}: {identity} got {status}, expected 200")
        if identity is None and status == 200:
            body = readable_bytes(response)
            leaked = [v for v in private_values if v.encode() in body or v.encode("gb18030") in body]
            if leaked:
                problems.append(f"{path}: anonymous page shows staff data {leaked}")
    assert walked > 50
    assert not problems, "\n".join(problems)


def test_the_walk_knows_the_staff_blueprints(demo_app):
    assert {"staff", "staff_decisions", "staff_users"} <= set(ALLOWED_ROLES)
    rules = {r.endpoint: r for r in demo_app.url_map.iter_rules()}
    assert expected_roles(demo_app, rules["staff_users.index"]) == {"admin"}
    assert expected_roles(demo_app, rules["staff_decisions.review"]) == {"reviewer"}
    assert expected_roles(demo_app, rules["accounts.login"]) is None
