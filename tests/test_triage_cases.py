"""The shared triage table (tests/triage_cases.json): every rule on both sides of its threshold,
through server/redflags.py and through a push, whose stored assessment must say the same."""

import datetime
import json
from pathlib import Path

import pytest

from server.content import read_file
from server.models.diary import Entry
from server.redflags import assess, parse_time
from tests.sync_helpers import Device, put

TABLE = json.loads((Path(__file__).parent / "triage_cases.json").read_text(encoding="utf-8"))
NOW = parse_time(TABLE["now"])
RULES = read_file("redflags")


def build(case, shift=datetime.timedelta(0)):
    """Return (entry, history, profile) of a case, every date moved by `shift` (whole days)."""
    def moved(overrides):
        item = dict(TABLE["entry"], **overrides)
        item["occurred_at"] = (parse_time(item["occurred_at"]) + shift).isoformat()
        return item
    profile = dict(case.get("profile") or {})
    if profile.get("medicine_started_on"):
        started = datetime.date.fromisoformat(profile["medicine_started_on"]) + shift
        profile["medicine_started_on"] = started.isoformat()
    return moved(case["entry"]), [moved(item) for item in case.get("history", ())], profile


def test_every_rule_has_a_case_on_each_side_at_its_level():
    sides, levels = {}, {}
    for case in TABLE["cases"]:
        sides.setdefault(case["rule"], set()).add(case["fires"])
        if case["fires"] and not case["rule"].startswith(("pregnancy-leg", "leg-gave")):
            levels.setdefault(case["rule"], set()).add(case["level"])
    assert sides == {rule["id"]: {True, False} for rule in RULES}
    # A case where a rule fires is at least at that rule's level; reassurance aside, exactly
    # there for at least one case, so a rule's level is pinned by the table.
    by_id = {rule["id"]: rule["level"] for rule in RULES}
    assert all(by_id[rule] in found for rule, found in levels.items())


def test_case_ids_are_unique():
    ids = [case["id"] for case in TABLE["cases"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda case: case["id"])
def test_redflags_gives_the_expected_level(case):
    entry, history, profile = build(case)
    result = assess(entry, history, now=NOW, profile=profile)
    assert result["level"] == case["level"]
    assert (case["rule"] in {flag["rule"] for flag in result["flags"]}) is case["fires"]


def test_push_stores_the_expected_assessment_for_every_case(client, auth):
    """Each case is one person: profile, then history, then the entry, pushed in order."""
    # Whole days, so each episode keeps its calendar day against the profile's dates; the
    # table's newest time stays in the past.
    shift = datetime.timedelta(days=(datetime.datetime.now(datetime.timezone.utc).date()
                                     - NOW.date()).days - 1)
    wrong = []
    for case in TABLE["cases"]:
        entry, history, profile = build(case, shift)
        device = Device(client, auth.register()[1])
        mutations = ([put(1, "profile", profile, entity="settings")] if profile else [])
        mutations += [put(len(mutations) + 1 + n, data=item) for n, item in enumerate(history)]
        mutations.append(put(len(mutations) + 1, data=entry))
        response = device.push(*mutations)
        results = response.get_json()["results"]
        assert all(r["status"] == "applied" for r in results), (case["id"], results)
        sent = results[-1].get("assessment")
        stored = Entry.get(Entry.key == mutations[-1]["key"]).assessment
        level = (sent or {}).get("level", "self_care")
        fired = {flag["rule"] for flag in (sent or {}).get("flags", ())}
        if sent != stored or level != case["level"] or (case["rule"] in fired) is not case["fires"]:
            wrong.append((case["id"], sent, stored))
    assert wrong == []
