"""A physio's caseload: consenting patients ranked by need, and each patient's diary as
pages, a summary, charts and exports. Access is checked by the caller through care.act
(or, for the list, care.look_over); this module reads what that check let through.
"""

import datetime
from collections import Counter

from server import (attention, charts, experiment, hydration, insights, jsonio, patterns,
                    reminders, reports)
from server.care import as_plan, assignments_of, comments_on
from server.db import db
from server.models.accounts import utcnow
from server.models.care import Assignment, CareLink
from server.models.diary import Entry, Setting

UTC = datetime.timezone.utc
# Dates are the patient's calendar days; an entry's offset can put it up to 14 hours either
# side of UTC, so rows are fetched with that margin and then filtered by their own day.
MARGIN = datetime.timedelta(hours=14)
PATTERN_WEEKS = 26  # how far back a person's patterns look
LOOKBACK = datetime.timedelta(days=28)  # what attention needs: two windows of two weeks


def aware(moment):
    """Attach UTC to a stored naive datetime."""
    return moment.replace(tzinfo=UTC) if moment else None


def entries_between(patient_ids, since=None, until=None):
    """Return {patient id: [entry dicts]} of live entries in a UTC window, oldest first.

    Read as plain rows with the JSON as text, parsed once: a caseload reads thousands of
    entries, and building a model object for each was most of the patient list's time.
    """
    query = (Entry
             .select(Entry.user, Entry.key, Entry.data.cast("TEXT"), Entry.assessment.cast("TEXT"))
             .where(Entry.user.in_(list(patient_ids)) & (Entry.deleted == False)))  # noqa: E712
    if since is not None:
        query = query.where(Entry.occurred_at >= since)
    if until is not None:
        query = query.where(Entry.occurred_at < until)
    found = {pid: [] for pid in patient_ids}
    loads = jsonio.loads
    for user_id, key, data, assessment in db.execute(query.order_by(Entry.occurred_at, Entry.key)):
        found[user_id].append(dict(loads(data), key=key,
                                   assessment=loads(assessment) if assessment else None))
    return found


def tallies(patient_ids, since, now, reviews=None, assigned=()):
    """Return ({patient id: attention.Tally}, {patient id: latest entry time}) over live
    entries since a naive UTC time; `reviews` maps patients to their last review, and the
    routine logs are read for the `assigned` patients alone.

    A caseload weighs every patient's last four weeks: the episodes and warning signs are
    counted in SQL over the entries' kept columns, and only the routine logs adherence needs
    are read, so the other entries stay unread and unparsed.
    """
    reviews = reviews or {}

    def naive(moment):
        return moment.astimezone(UTC).replace(tzinfo=None)

    window = attention.WINDOW
    cuts = {pid: naive(attention.flagged_since(reviews.get(pid), now)) for pid in patient_ids}
    counts = Entry.tallies(cuts, since, (naive(now - 2 * window), naive(now - window), naive(now)),
                           insights.HIGH_INTENSITY, attention.WARNING_LEVELS)
    found, latest = {}, {}
    for pid in patient_ids:
        stored, recent, earlier, intense, *warned = counts.get(
            pid, (None, 0, 0, 0, *[0] * len(attention.WARNING_LEVELS)))
        warnings = Counter({level: n for level, n in zip(attention.WARNING_LEVELS, warned) if n})
        found[pid] = attention.Tally(recent, earlier, intense, warnings)
        latest[pid] = aware(stored)
    parse = datetime.datetime.fromisoformat
    for user_id, moment, routine, done, total in Entry.routine_logs(list(assigned), since):
        found[user_id].routines.append({
            "kind": "routine", "occurred_at": parse(moment), "routine": routine,
            "completed_steps": done, "total_steps": total})
    return found, latest


def diary(patient, start, end):
    """Return the patient's live entries whose own calendar day is in start..end."""
    since = datetime.datetime.combine(start, datetime.time()) - MARGIN
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()) + MARGIN
    rows = entries_between([patient.id], since, until)[patient.id]
    return insights.within(rows, start, end)


def plans_by_patient(patient_ids):
    """Return {patient id: [assignment plans]} for live assignments."""
    found = {pid: [] for pid in patient_ids}
    query = Assignment.select().where(Assignment.patient.in_(list(patient_ids))
                                      & (Assignment.deleted == False))  # noqa: E712
    for row in query:
        found[row.patient_id].append(as_plan(row))
    return found


def ranked(physio, now=None, patient_id=None):
    """Return every consenting patient of the physio (or the one asked for) with their
    attention, most in need first."""
    now = aware(now or utcnow())
    links = CareLink.caseload(getattr(physio, "id", physio), patient_id)
    ids = [link["id"] for link in links]
    reviews = {link["id"]: aware(link["reviewed_at"]) for link in links}
    oldest_review = min([review or now for review in reviews.values()] + [now])
    since = (min(oldest_review, now - attention.RED_FLAG_LOOKBACK, now - LOOKBACK)
             .replace(tzinfo=None))
    plans = plans_by_patient(ids)
    counted, latest = tallies(ids, since, now, reviews, [pid for pid in ids if plans[pid]])
    rows = []
    for link in links:
        pid = link["id"]
        synced = aware(link["last_seen_at"])
        found = attention.weigh(counted[pid], now=now, last_sync=synced, assignments=plans[pid])
        rows.append((card(link, found, synced, latest[pid]), found))
    return [row for row, _ in attention.rank(rows)]


def card(link, found, last_sync, latest):
    """Return one line of the patient list."""
    return {"id": link["id"], "display_name": link["display_name"], "link_id": link["link_id"],
            "linked_at": link["linked_at"], "reviewed_at": link["reviewed_at"],
            "last_sync_at": last_sync, "last_entry_at": latest, "score": found.score,
            "level": found.level, "reasons": [vars(r) for r in found.reasons]}


def patient_card(patient, link, now=None):
    """Return the patient-list line of one patient."""
    return ranked(link.physio_id, now, patient.id)[0]


def entry_page(patient, start, end, kind=None, page=1, per_page=50):
    """Return one page of the patient's entries in start..end, newest first."""
    rows = [e for e in diary(patient, start, end) if kind is None or e["kind"] == kind]
    rows.sort(key=lambda e: (insights.when(e), e["key"]), reverse=True)
    first = (page - 1) * per_page
    items = [{"key": e["key"], "kind": e["kind"], "occurred_at": e["occurred_at"],
              "data": {k: v for k, v in e.items() if k not in ("key", "assessment")},
              "assessment": e["assessment"]}
             for e in rows[first:first + per_page]]
    return {"items": items, "page": page, "per_page": per_page, "total": len(rows),
            "has_more": first + per_page < len(rows)}


def hydration_settings(patient):
    """Return the patient's hydration settings with defaults filled."""
    row = Setting.get_or_none((Setting.user == patient) & (Setting.name == "hydration")
                              & (Setting.deleted == False))  # noqa: E712
    return hydration.resolved(row.data if row else {})


def hydration_measure(patient, entries):
    """Measure each day as the patient's own app does: their day, their target, what counts."""
    settings = hydration_settings(patient)

    def measure(on):
        day = reminders.waking_day(settings, on)
        return (hydration.intake(entries, day),
                hydration.target_ml(settings, entries, day, day.end))
    return measure


def chart_data(patient, start, end, today=None):
    """Return every chart's series for the patient over start..end."""
    plans = [as_plan(a) for a in assignments_of(patient)]
    # Before/after reaches two weeks before each start, which may precede the range; the day
    # after the range counts for the hydration day that runs past midnight.
    earliest = min([start] + [p["start_date"] - datetime.timedelta(days=insights.COMPARE_DAYS)
                              for p in plans])
    entries = diary(patient, earliest, end + datetime.timedelta(days=1))
    return entries, plans, insights.charts(
        entries, start, end, today=today or end, measure=hydration_measure(patient, entries),
        assignments=plans)


def charts_svg(patient, start, end):
    """Return every chart drawn as SVG."""
    _, _, data = chart_data(patient, start, end)
    return {"from": data["from"], "to": data["to"], "charts": charts.render(data)}


def summary(patient, link, start, end, now=None):
    """Return the patient view's header: who, headline numbers, before/after, warning signs."""
    entries, _, data = chart_data(patient, start, end)
    in_range = insights.within(entries, start, end)
    flagged = reports.flagged(in_range)
    warnings = [{"key": entry["key"], "occurred_at": entry["occurred_at"], "level": level,
                 "text": words}
                for entry, level, words in flagged]
    return {
        "patient": patient_card(patient, link, now),
        "numbers": insights.summary(in_range, start, end),
        "before_after": data["before_after"],
        "warning_signs": warnings,
        "warning_groups": reports.warning_groups(flagged),
        "comments": [c.wire() for c in comments_on(patient)],
        "assignments": [a.wire() for a in assignments_of(patient)],
        "patterns": own_patterns(patient, (now or utcnow()).date()),
    }


def own_patterns(person, today):
    """Return the declared comparisons of a person's last 26 weeks (server/patterns.py), with
    their self-experiment (server/experiment.py) when they have one."""
    plans = [as_plan(a) for a in assignments_of(person)]
    trial = experiment.of(person)
    earliest = min([today - datetime.timedelta(weeks=PATTERN_WEEKS)] +
                   [p["start_date"] - datetime.timedelta(days=insights.COMPARE_DAYS) for p in plans]
                   + ([datetime.date.fromisoformat(trial["started_on"])] if trial else []))
    entries = diary(person, earliest, today)
    read = patterns.Diary(entries, today, hydration_measure(person, entries),
                          hydration_settings(person)["sleep"])
    found = patterns.patterns(entries, today, assignments=plans, diary=read)
    found["experiment"] = trial and experiment.report(trial, read, today)
    return found


def export_csv(patient, start, end):
    """Return the CSV of the patient's entries in start..end, oldest first."""
    return reports.to_csv(diary(patient, start, end))


def export_fhir(patient, start, end):
    """Return the FHIR R4 Bundle of the patient's episodes and drinks in start..end."""
    return reports.fhir_bundle({"id": patient.id, "display_name": patient.display_name},
                               diary(patient, start, end))


def export_pdf(patient, start, end):
    """Return the one-page pre-visit summary as PDF bytes."""
    entries, plans, _ = chart_data(patient, start, end)
    return reports.pdf_summary({"id": patient.id, "display_name": patient.display_name},
                               entries, start, end, assignments=plans,
                               measure=hydration_measure(patient, entries),
                               patterns=own_patterns(patient, utcnow().date()))
