"""One rule set, two evaluators: pwa/js/triage.js in Chromium must say what server/redflags.py
says, flag for flag, on the shared table of cases and on generated diaries around every threshold."""

import datetime
import json
import random

import pytest

from server.redflags import HISTORY_DAYS, assess, parse_time
from tests.test_triage_cases import NOW, TABLE, build
from schemas.content import CONTEXTS, MEDICINES, MUSCLES, RED_FLAG_CODES, SIDES, TRIGGERS

from .driver import open_app

# The rules as the app downloads them, judged by the app's own module.
JUDGE_IN_PAGE = """async (cases) => {
  const { assess } = await import('/js/triage.js');
  const set = await (await fetch('/api/v1/content/redflags')).json();
  return cases.map(([entry, history, profile, now]) => assess(entry, history, {
    rules: set.rules, now, profile, historyDays: set.history_days,
  }));
}"""
OFFSETS = ["+00:00", "+01:00", "-05:00", "+05:30", "+14:00", "-14:00", "Z", ""]


def in_page(page, cases):
    return page.evaluate(JUDGE_IN_PAGE, [list(case) for case in cases])


def on_server(cases):
    return [assess(entry, history, now=now, profile=profile) for entry, history, profile, now in cases]


def moment(rng, now, days):
    """An ISO time up to `days` days before `now` (a few in its future), in a random offset."""
    at = now - datetime.timedelta(seconds=rng.uniform(-2 * 86400, days * 86400))
    offset = rng.choice(OFFSETS)
    if offset in ("", "Z"):
        text = at.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
        return text + offset
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    zone = datetime.timezone((-1 if offset[0] == "-" else 1)
                             * datetime.timedelta(hours=hours, minutes=minutes))
    return at.astimezone(zone).isoformat(timespec=rng.choice(["seconds", "microseconds"]))


def cramp(rng, now, days):
    """A cramp with values near the rules' thresholds and a random handful of signs and tags."""
    return {
        "kind": "cramp", "occurred_at": moment(rng, now, days), "muscle": rng.choice(MUSCLES),
        "side": rng.choice(SIDES), "context": rng.choice(CONTEXTS + ("night", "night")),
        "intensity": rng.choice([0, 5, 6, 7, 8, 10]),
        "duration_s": rng.choice([None, 0, 60, 119, 120, 121, 600, 601, 3600]),
        "red_flags": rng.sample(RED_FLAG_CODES, rng.choice([0, 0, 0, 1, 1, 2, 3])),
        "triggers": rng.sample(TRIGGERS, rng.choice([0, 0, 1, 2])),
        "reliefs": [], "note": "",
    }


def generated(count, seed=20241203):
    """Diaries from one person each: a cramp, up to 30 others in the weeks around it, a profile."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        now = NOW + datetime.timedelta(days=rng.uniform(-400, 400))
        dense = rng.random() < 0.5
        history = [cramp(rng, now, rng.choice([14, HISTORY_DAYS + 10]))
                   for _ in range(rng.choice([0, 3, 10, 30] if dense else [0, 1, 2]))]
        profile = {}
        if rng.random() < 0.4:
            profile = {"pregnant": rng.random() < 0.5,
                       "medicines": rng.sample(MEDICINES, rng.choice([0, 1, 2]))}
            if rng.random() < 0.7:
                started = (now - datetime.timedelta(days=rng.choice([0, 1, 89, 90, 91, 120]))).date()
                profile["medicine_started_on"] = started.isoformat()
        entry = cramp(rng, now, rng.choice([1, 3, 40]))
        cases.append((entry, history, profile, now.isoformat()))
    return cases


def test_the_app_judges_every_case_of_the_shared_table_as_the_server_does(served, page):
    open_app(page, served.url)
    cases = [(*build(case), TABLE["now"]) for case in TABLE["cases"]]
    server, app = on_server(cases), in_page(page, cases)
    wrong = [(case["id"], ours, theirs) for case, ours, theirs in zip(TABLE["cases"], server, app)
             if ours != theirs]
    assert wrong == []
    # The table is not trivially agreed on: every level is reached.
    assert {result["level"] for result in app} == {"self_care", "see_doctor", "urgent", "emergency"}


def test_the_app_judges_generated_diaries_as_the_server_does(served, page):
    open_app(page, served.url)
    cases = generated(600)
    server, app = on_server(cases), in_page(page, cases)
    wrong = [(json.dumps(case)[:400], ours, theirs)
             for case, ours, theirs in zip(cases, server, app) if ours != theirs]
    assert wrong[:3] == []
    # The generated diaries reach the pattern rules and the profile rules, not just the signs.
    fired = {flag["rule"] for result in server for flag in result["flags"]}
    assert {"sleep-disturbed", "rising-frequency", "frequent-long-intense", "prescription-review",
            "long-episode", "pregnancy-belly-cramp", "frequent-cramp-days"} <= fired


@pytest.mark.parametrize("text", ["2024-03-15T23:30:00+01:00", "2024-03-15T23:30:00.123456-05:00",
                                  "2024-03-15T23:30:00Z", "2024-03-15T23:30:00",
                                  "2024-03-15T23:30+05:30", "1900-01-01T00:00:00+14:00",
                                  "2999-12-31T23:59:59-14:00"])
def test_times_are_read_as_the_server_reads_them(served, page, text):
    open_app(page, served.url)
    read = page.evaluate("""async (text) => {
      const { parseTime } = await import('/js/triage.js');
      return parseTime(text);
    }""", text)
    expected = parse_time(text)
    assert read["stamp"] == pytest.approx(expected.timestamp(), abs=1e-6)
    assert read["offset"] == expected.utcoffset().total_seconds() / 60
