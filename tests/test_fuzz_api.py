"""The read-only API fuzzed from its own OpenAPI document (Schemathesis), on both databases.

An auditor of Thái Nguyên calls every documented operation with generated paths, queries and
headers. Every answer must be no 5xx, of a documented status and content type, match its
documented schema, and never hold a row of the other province created beside it (issue 13).
"""
from __future__ import annotations

import contextvars
import json
import os
import tempfile

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tests.handover_factory import signed
from tracker.api.tokens import create_token
from tracker.models import AssetEvent, AssetKind, Handover, Province, Role, Unit, UnitKind

# Hypothesis caches (unicode tables, constants) outside the work tree: .gitignore has no .hypothesis/
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "tracker-hypothesis"))
MAX_EXAMPLES = 60  # per operation and mode (positive, negative); 11 operations
FOREIGN_MARK = "TINHKHAC"  # in the name of every row of the other province, so any leak shows in the text


def _foreign_units(db):
    """A province beside Thái Nguyên, with an old commune that went into a new one."""
    other = Province(code=99, name="Tỉnh Thử", name_folded="tinh thu")
    db.session.add(other)
    db.session.flush()
    old = Unit(source_key="old:99:1:1", code="99001", kind=UnitKind.OLD_COMMUNE, name=f"Xã {FOREIGN_MARK}",
               name_folded=f"xa {FOREIGN_MARK.lower()}", province_id=other.id)
    new = Unit(source_key="new:99001", code="99101", kind=UnitKind.NEW_COMMUNE, name=f"Phường {FOREIGN_MARK}",
               name_folded=f"phuong {FOREIGN_MARK.lower()}", province_id=other.id)
    db.session.add_all([old, new])
    db.session.flush()
    old.successors.append(new)
    db.session.commit()
    return other, old, new


@pytest.fixture
def two_provinces(db, make_user, make_asset, unit_by_name, province):
    """Assets, events and handovers in Thái Nguyên and in another province; the ids of the other's rows."""
    phoco = unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE)
    songcong = unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE)
    local = [make_asset(AssetKind.EQUIPMENT, unit=phoco, code=f"TB-{i}", name=f"Máy vi tính {i}",
                        equipment_type="Máy vi tính", original_cost=12_500_000 + i) for i in range(4)]
    local.append(make_asset(AssetKind.VEHICLE, unit=phoco, plate="20A-123.45", make_model="Toyota Innova"))
    signed(db, make_user(Role.OFFICER), phoco, songcong, local[:2])

    other, old, new = _foreign_units(db)
    foreign_officer = make_user(Role.OFFICER, province=other)
    foreign = [make_asset(AssetKind.EQUIPMENT, unit=old, code=f"X-{i}", name=f"Máy {FOREIGN_MARK} {i}",
                          equipment_type="Máy in", original_cost=9_000_000 + i) for i in range(3)]
    foreign.append(make_asset(AssetKind.VEHICLE, unit=old, plate="99A-999.99", make_model=f"Xe {FOREIGN_MARK}",
                              name=f"Xe ô tô {FOREIGN_MARK}"))
    foreign_handover = signed(db, foreign_officer, old, new, foreign[:2])
    asset_ids = {a.id for a in foreign}
    return {
        "province_id": province.id,
        "assets": asset_ids,
        "units": {old.id, new.id},
        "handovers": {foreign_handover.id},
        "events": set(db.session.scalars(sa.select(AssetEvent.id).where(AssetEvent.asset_id.in_(asset_ids)))),
        "known_ids": sorted({a.id for a in local} | asset_ids | {old.id, new.id, phoco.id, foreign_handover.id}
                            | set(db.session.scalars(sa.select(Handover.id)))),
    }


@pytest.fixture
def auditor_token(db, make_user):
    _row, raw = create_token(make_user(Role.AUDITOR), "Kiểm thử mờ")
    db.session.commit()
    return raw


@pytest.fixture
def api_schema(app, two_provinces, auditor_token):
    """The app's own OpenAPI document, loaded through WSGI, with the auditor's token on every call."""
    config = schemathesis.Config.from_dict({
        "headers": {"Authorization": f"Bearer {auditor_token}"},
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
    })
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        # A random integer almost never names a row; half the time name one of the rows there are,
        # of this province or the other, so the scope is tried on real ids.
        if not path_parameters or not all(type(v) is int for v in path_parameters.values()):
            return st.just(path_parameters)  # no ids, or a negative case's wrong ones: kept as drawn
        known = st.sampled_from(two_provinces["known_ids"])
        return st.one_of(st.just(path_parameters), st.fixed_dictionaries({k: known for k in path_parameters}))

    return schema


def _walk(value, key=None):
    """Every (key, value) pair of a JSON document, lists of ids flattened."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, key)
    else:
        yield key, value


UNIT_KEYS = {"unit_id", "holder_id", "receiver_id", "giver_id", "parent_id", "successor_ids", "predecessor_ids"}


def assert_in_scope(path: str, body, foreign: dict) -> None:
    """No row of the other province in an answer: no id of its assets, units, handovers or events."""
    rows = body.get("data") if isinstance(body, dict) and "data" in body else [body]
    own_kind = ("assets" if path.startswith(("/assets", "/inventory")) and "history" not in path else
                "events" if "history" in path or path == "/events" else
                "units" if path.startswith("/units") else "handovers" if path.startswith("/handovers") else None)
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and own_kind and "id" in row:
            assert row["id"] not in foreign[own_kind], f"{own_kind} {row['id']} of another province in {path}"
    for key, value in _walk(body):
        if key == "asset_id":
            assert value not in foreign["assets"], f"asset {value} of another province in {path}"
        elif key in UNIT_KEYS:
            assert value not in foreign["units"], f"unit {value} of another province in {path}"
        elif key == "handover_id":
            assert value not in foreign["handovers"], f"handover {value} of another province in {path}"
        elif key == "province_id" and value is not None:
            assert value == foreign["province_id"], f"province {value} in {path}"


def test_every_api_answer_matches_its_document_and_stays_in_the_auditors_province(api_schema, two_provinces):
    # Schemathesis' own pytest integration (``from_fixture``) rewrites pytest's private node ids, which
    # pytest 9 no longer has; each operation's strategy is run by Hypothesis here instead.
    calls: dict[str, int] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]  # .ok() raises on a broken one
    # Schemathesis leaves out the document's own path (/openapi.json); every other one is fuzzed
    documented = api_schema.raw_schema["paths"]
    assert {o.path for o in operations} == set(documented) - {"/openapi.json"}
    for operation in operations:
        # wrong values are only possible where there are parameters to get wrong
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if documented[operation.path]["get"]["parameters"] else (
            GenerationMode.POSITIVE,)
        for mode in modes:
            # An empty parameter ("status=") reads as no filter, as the register's own forms send it, so
            # a wrong value is not always refused; it must still never be a 5xx or an undocumented answer.
            excluded = [negative_data_rejection] if mode is GenerationMode.NEGATIVE else []

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                             HealthCheck.filter_too_much])
            def call(case):
                # A fresh context per call, as production gives each request (see conftest.IsolatedClient):
                # else the token's user stays in ``g`` and the check resending without it sees them signed in.
                response = contextvars.Context().run(case.call_and_validate, excluded_checks=excluded)
                calls[operation.label] = calls.get(operation.label, 0) + 1
                assert FOREIGN_MARK not in response.text
                if response.status_code == 200 and operation.path != "/openapi.json":
                    assert_in_scope(operation.path, json.loads(response.text), two_provinces)

            call()
    print(f"\n{sum(calls.values())} requests: " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items())))


def test_ids_no_route_or_database_takes_get_the_documented_json_answer(client, auditor_token):
    """Found by the fuzzer: a negative id answered the HTML page; one past 32 bits a 500 on PostgreSQL (past
    64 bits on SQLite), in the path, a filter or the cursor."""
    for path, status in [("/api/v1/assets/-489", 404), ("/api/v1/assets/9223372036854775808/history", 404),
                         ("/api/v1/units/2147483648", 404), ("/api/v1/handovers/99999999999999999999", 404),
                         ("/api/v1/assets?district_id=99999999999", 400), ("/api/v1/events?cursor=2147483648", 400)]:
        response = client.get(path, headers={"Authorization": f"Bearer {auditor_token}"})
        assert response.status_code == status and response.get_json()["error"]["status"] == status, path
