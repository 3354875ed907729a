"""Chart data from the diary, and the SVG drawn from it."""

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from server import charts, insights

MARCH = (date(2024, 3, 1), date(2024, 3, 31))
SVG = "{http://www.w3.org/2000/svg}"


def iso(day, hour=20, offset=0):
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=timezone(timedelta(hours=offset)))
    return moment.isoformat()


def cramp(day, intensity=5, muscle="calf", context="night", hour=20, offset=0):
    return {"kind": "cramp", "occurred_at": iso(day, hour, offset), "muscle": muscle,
            "side": "left", "intensity": intensity, "duration_s": 90, "context": context,
            "triggers": [], "reliefs": [], "red_flags": [], "note": ""}


def drink(day, volume, hour=9):
    return {"kind": "hydration", "occurred_at": iso(day, hour), "volume_ml": volume,
            "drink": "water"}


def session(day, done=4, total=4, routine="calf-evening"):
    return {"kind": "routine", "occurred_at": iso(day), "routine": routine,
            "completed_steps": done, "total_steps": total, "duration_s": 240}


def d(n):
    """Return 2024-03-n."""
    return date(2024, 3, n)


def test_episodes_per_week_count_and_weigh_intensity():
    entries = [cramp(d(4), 2), cramp(d(6), 8), cramp(d(10), 7), cramp(d(12), 3),
               drink(d(5), 500)]
    weeks = insights.episodes_per_week(entries, d(4), d(17))
    assert weeks == [
        {"week": "2024-03-04", "episodes": 3, "mean_intensity": 5.7, "max_intensity": 8,
         "high_intensity": 2},
        {"week": "2024-03-11", "episodes": 1, "mean_intensity": 3.0, "max_intensity": 3,
         "high_intensity": 0},
    ]


def test_an_empty_week_is_still_a_point_on_the_chart():
    weeks = insights.episodes_per_week([], d(4), d(17))
    assert [w["episodes"] for w in weeks] == [0, 0]
    assert weeks[0]["mean_intensity"] is None


@pytest.mark.parametrize("hour, offset, expected_day", [
    (23, -5, d(10)),  # late on Sunday evening in New York is still Sunday
    (0, 9, d(11)),  # just after midnight in Tokyo is Monday
])
def test_an_entry_counts_on_the_day_of_its_own_offset(hour, offset, expected_day):
    entry = cramp(expected_day, hour=hour, offset=offset)
    assert insights.day(entry) == expected_day
    weeks = insights.episodes_per_week([entry], d(4), d(17))
    counted = [w["week"] for w in weeks if w["episodes"]]
    assert counted == [insights.monday(expected_day).isoformat()]


def test_entries_outside_the_range_are_left_out():
    entries = [cramp(d(1)), cramp(d(31)), cramp(date(2024, 4, 1)), cramp(date(2024, 2, 29))]
    assert insights.summary(entries, *MARCH)["episodes"] == 2


def test_episodes_by_muscle_and_context_most_frequent_first():
    entries = [cramp(d(2), muscle="foot"), cramp(d(3), muscle="calf", context="exercise"),
               cramp(d(4), muscle="calf"), cramp(d(5), muscle="hamstring", context="exercise")]
    assert insights.episodes_by(entries, *MARCH, "muscle") == [
        {"value": "calf", "episodes": 2}, {"value": "foot", "episodes": 1},
        {"value": "hamstring", "episodes": 1}]
    assert [c["value"] for c in insights.episodes_by(entries, *MARCH, "context")] == [
        "exercise", "night"]


def test_night_versus_exercise_per_week():
    entries = [cramp(d(4)), cramp(d(5)), cramp(d(6), context="exercise"),
               cramp(d(12), context="rest")]
    assert insights.night_vs_exercise(entries, d(4), d(17)) == [
        {"week": "2024-03-04", "night": 2, "exercise": 1},
        {"week": "2024-03-11", "night": 0, "exercise": 0}]


def test_hydration_per_day_against_the_target():
    entries = [drink(d(4), 700), drink(d(4), 600, hour=15), drink(d(5), 400)]
    days = insights.hydration_per_day(entries, d(4), d(6), target_ml=1200)
    assert days == [
        {"date": "2024-03-04", "volume_ml": 1300, "target_ml": 1200, "met": True},
        {"date": "2024-03-05", "volume_ml": 400, "target_ml": 1200, "met": False},
        {"date": "2024-03-06", "volume_ml": 0, "target_ml": 1200, "met": False}]


def test_adherence_per_week_counts_partial_sessions_and_only_from_the_start():
    plan = {"title": "Evening", "start_date": d(6), "routines": ["calf-evening"],
            "sessions_per_week": 7}
    entries = [session(d(5)), session(d(6)), session(d(7), done=2), session(d(8)),
               session(d(8), routine="other"), session(d(11))]
    weeks = insights.adherence_per_week(entries, [plan], d(4), d(17))
    assert weeks == [
        {"week": "2024-03-04", "done": 2.5, "planned": 5.0, "percent": 50},
        {"week": "2024-03-11", "done": 1.0, "planned": 7.0, "percent": 14}]


def test_adherence_without_assignments_has_no_percentage():
    weeks = insights.adherence_per_week([session(d(5))], [], d(4), d(10))
    assert weeks == [{"week": "2024-03-04", "done": 0.0, "planned": 0.0, "percent": None}]


def test_before_and_after_a_programme_as_a_percentage_change():
    start = d(15)
    before = [cramp(start - timedelta(days=1 + i)) for i in range(8)]  # 4 a week
    after = [cramp(d(31) - timedelta(days=i * 5)) for i in range(2)]  # 1 a week
    result = insights.before_after(before + after + [cramp(d(1) - timedelta(days=1))], start,
                                   d(31))
    assert result["before"] == {"from": "2024-03-01", "to": "2024-03-14", "episodes": 8,
                                "per_week": 4.0}
    assert result["after"] == {"from": "2024-03-18", "to": "2024-03-31", "episodes": 2,
                               "per_week": 1.0}
    assert result["change_pct"] == -75 and result["complete"] is True
    assert insights.describe_change(result) == (
        "Episodes per week fell by 75% (4 a week before, 1 a week lately).")


def test_a_programme_started_a_week_ago_compares_only_that_week():
    start = d(25)
    entries = [cramp(d(20)), cramp(d(26)), cramp(d(27))]
    result = insights.before_after(entries, start, d(31))
    assert result["after"]["from"] == "2024-03-25" and result["after"]["per_week"] == 2.0
    assert result["change_pct"] == 300 and result["complete"] is False
    assert insights.describe_change(result).endswith("(fewer than two weeks since the start).")


def test_no_episodes_before_the_start_gives_no_percentage():
    result = insights.before_after([cramp(d(30))], d(10), d(31))
    assert result["change_pct"] is None
    assert insights.describe_change(result).startswith("No episodes in the two weeks before")


def test_a_programme_that_starts_later_has_no_after():
    result = insights.before_after([], d(31), d(20))
    assert result["after"] is None and insights.describe_change(result) == "Not started yet."


@given(st.lists(st.integers(0, 60), max_size=40), st.integers(15, 45))
def test_before_after_counts_every_episode_at_most_once(offsets, start_day):
    base = date(2024, 1, 1)
    entries = [cramp(base + timedelta(days=n)) for n in offsets]
    start = base + timedelta(days=start_day)
    result = insights.before_after(entries, start, base + timedelta(days=60))
    counted = result["before"]["episodes"] + result["after"]["episodes"]
    assert counted <= len(entries)


def full_month():
    entries = [cramp(d(n), intensity=n % 11, muscle=("calf", "foot")[n % 2],
                     context=("night", "exercise")[n % 3 == 0]) for n in range(1, 31)]
    entries += [drink(d(n), 300 * (n % 6)) for n in range(1, 31) if n % 6]
    entries += [session(d(n)) for n in range(10, 31, 2)]
    plan = {"title": "Evening", "start_date": d(10), "routines": ["calf-evening"],
            "sessions_per_week": 7}
    return insights.charts(entries, *MARCH, assignments=[plan])


def test_charts_gather_every_series():
    data = full_month()
    assert set(data) == {"from", "to", "episodes_per_week", "by_muscle", "by_context",
                         "night_vs_exercise", "hydration", "adherence", "before_after"}
    assert len(data["hydration"]) == 31 and data["before_after"][0]["title"] == "Evening"


@pytest.mark.parametrize("name", ["episodes_per_week", "by_muscle", "by_context",
                                  "night_vs_exercise", "hydration", "adherence"])
def test_every_chart_is_well_formed_accessible_svg(name):
    svg = charts.render(full_month())[name]
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    assert root.findall(f".//{SVG}rect")


def test_charts_of_an_empty_period_still_draw():
    data = insights.charts([], *MARCH)
    for svg in charts.render(data).values():
        ET.fromstring(svg)


@given(st.text(min_size=1, max_size=30))
def test_labels_are_escaped(label):
    svg = charts.bars(label, [(label, 3)], unit="<b>&")
    root = ET.fromstring(svg)
    kept = charts.NOT_XML.sub("", label).replace("\r\n", "\n").replace("\r", "\n")
    assert (root.find(f"{SVG}title").text or "") == kept
    assert "<b>" not in svg and "<script" not in svg.replace("&lt;script", "")


def test_bars_are_in_proportion():
    svg = charts.bars("Episodes by muscle", [("calf", 10), ("foot", 5)], unit="episodes")
    widths = [float(r.get("width")) for r in ET.fromstring(svg).iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_a_target_line_is_drawn_at_the_target():
    svg = charts.columns("Drinks", ["1 Mar", "2 Mar"], [("drunk", [600, 1200])], unit="ml",
                         target=1200)
    root = ET.fromstring(svg)
    target = next(ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "target")
    bars = [r for r in root.iter(f"{SVG}rect") if "bar" in (r.get("class") or "")]
    top_of_full_bar = float(bars[1].get("y"))
    assert float(target.get("y1")) <= top_of_full_bar + 0.1


def test_a_programme_counts_each_phase_with_its_own_routine_and_sessions():
    plan = {"title": "Calf 4 weeks", "start_date": d(4), "phases": [
        {"routines": ["calf-length"], "start_date": d(4), "end_date": d(10),
         "sessions_per_week": 7},
        {"routines": ["calf-strength"], "start_date": d(11), "end_date": d(17),
         "sessions_per_week": 3}]}
    entries = [session(d(5), routine="calf-length"), session(d(6), routine="calf-strength"),
               session(d(12), routine="calf-strength"), session(d(13), routine="calf-length")]
    weeks = insights.adherence_per_week(entries, [plan], d(4), d(24))
    assert [(w["done"], w["planned"]) for w in weeks] == [(1.0, 7.0), (1.0, 3.0), (0.0, 0.0)]


def test_hydration_can_follow_the_persons_own_rules():
    days = insights.hydration_per_day([drink(d(4), 500)], d(4), d(5),
                                      measure=lambda on: (on.day * 100, 1500))
    assert days == [{"date": "2024-03-04", "volume_ml": 400, "target_ml": 1500, "met": False},
                    {"date": "2024-03-05", "volume_ml": 500, "target_ml": 1500, "met": False}]
