"""The JSON Schema published for each record format accepts exactly what the importer accepts.

Records are generated from each schema (hypothesis-jsonschema) and then one field is replaced by an
arbitrary JSON value, tricky strings included: a JSONL line is accepted by the importer's field checks
if and only if ``jsonschema`` accepts it against the published schema. Cross-field rules (dates in
order, a credit code for organisations) are checked after, and are listed in the schema descriptions.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from enforcement.core.records import validate_record
from enforcement.disclosure.formats import SPECS
from enforcement.inspections.pools import TARGETS
from enforcement.training.importing import SPEC as ATTENDANCE

ALL = {**SPECS, TARGETS.kind: TARGETS, ATTENDANCE.kind: ATTENDANCE}
TRICKY = ["", " ", "\n", "0", "00", "12", "12.0", "0012", "1234.5", "1234.50", "1234.567", "-5", "1e3", "1E3",
          "1,000", "2021-02-28", "2021-02-30", "2021-2-3", "2021/02/28", "10000-01-01", "2021-02-28\n", "是",
          "true", "法定", "statutory", "行政处罚", "fine", "罚款", "\ud800", "a\x00b", "12\n",
          "91110115MA01ABCD3Q", "91110115ma01abcd3q", "９１１１０１１５ＭＡ０１ＡＢＣＤ３Ｑ", "x" * 41]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30) | st.sampled_from(TRICKY),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2),
    max_leaves=5,
)
SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def importer_accepts(spec, record) -> bool:
    clean, errors = validate_record(spec, record, lenient=False, rules=False)
    return clean is not None and not errors


def schema_accepts(spec, record) -> bool:
    validator = Draft202012Validator(spec.json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return validator.is_valid(record)


@pytest.mark.parametrize("kind", sorted(ALL))
def test_every_record_the_schema_generates_imports(kind):
    spec = ALL[kind]

    @SETTINGS
    @given(from_schema(spec.json_schema()))
    def check(record):
        assert importer_accepts(spec, record), validate_record(spec, record, rules=False)[1]

    check()


@pytest.mark.parametrize("kind", sorted(ALL))
def test_schema_and_importer_agree_on_any_value_in_any_field(kind):
    spec = ALL[kind]
    names = [f.name for f in spec.fields] + ["colour"]

    @SETTINGS
    @given(from_schema(spec.json_schema()), st.sampled_from(names), JSON_VALUES, st.booleans())
    def check(record, name, value, drop):
        record = dict(record)
        if drop:
            record.pop(name, None)
        else:
            record[name] = value
        assert importer_accepts(spec, record) == schema_accepts(spec, record), (record, validate_record(
            spec, record, rules=False)[1])

    check()


@pytest.mark.parametrize(("value", "accepted"), [
    ("1234.56", True), (1234, True), (1e3, True), ("1234.567", False), (1234.5, False), ("1e3", False),
    ("-5", False), (-5, False), ("0", True), (2**70, False), (True, False),
])
def test_money_is_text_with_at_most_two_decimals_or_a_whole_number(value, accepted):
    spec = SPECS["decisions"]
    base = {"number": "X-1", "kind": "penalty", "agency_credit_code": "11110115MB1C435893",
            "party_type": "person", "party_name": "张三"}
    record = {**base, "fine_amount": value}
    assert schema_accepts(spec, record) is accepted
    assert importer_accepts(spec, record) is accepted
