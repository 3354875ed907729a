"""Exports of a person's diary: CSV that reads back, an HL7 FHIR R4 Bundle, a one-page PDF.

Entries are plain dicts: the wire entry data plus `key` and, when the server assessed the
entry, `assessment`. The assessment is derived data: the CSV shows its level but reading the
CSV back returns the entry data alone, which is what the server would assess again.
"""

import csv
import io
import math
import os
import uuid
from datetime import date, datetime, timezone

from schemas import vocabulary as vocab
from server import insights, redflags
from server.attention import flag_level

# fhir.resources and reportlab take a quarter of a second to import: they load on the first
# export, not when the app starts.

# One column per field of any kind, in a fixed order: the CSV layout is a contract.
KIND_FIELDS = {
    "cramp": ("muscle", "side", "intensity", "duration_s", "context", "triggers", "reliefs",
              "red_flags", "note"),
    "hydration": ("volume_ml", "drink"),
    "routine": ("routine", "completed_steps", "total_steps", "duration_s"),
    "note": ("text",),
}
INTEGERS = {"intensity", "duration_s", "volume_ml", "completed_steps", "total_steps"}
LISTS = {"triggers", "reliefs", "red_flags"}
FREE_TEXT = {"note", "text", "routine"}
COLUMNS = ("key", "kind", "occurred_at", *dict.fromkeys(
    f for fields in KIND_FIELDS.values() for f in fields), "assessment_level")
# A spreadsheet runs a cell that starts with one of these as a formula.
LEVEL_ORDER = tuple(vocab.LEVELS)
# Axis labels: at least this far apart (points), and names that do not fit slant this much.
LABEL_GAP = 4
SLANT = 40
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def cell(name, value):
    """Write one value as CSV text."""
    if value is None:
        return ""
    if name in LISTS:
        return ";".join(value)
    text = str(value)
    if name in FREE_TEXT and text.startswith(FORMULA_STARTS):
        return "'" + text  # keeps the spreadsheet from running the text; read back removes it
    return text


def uncell(name, text):
    """Read one CSV text back as a value."""
    if name in LISTS:
        return [part for part in text.split(";") if part]
    if name in INTEGERS:
        return int(text) if text else None
    if name in FREE_TEXT and text.startswith("'"):
        return text[1:]
    return text


def to_csv(entries):
    """Write entries as CSV text, one row each, in the order given."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in entries:
        row = {name: cell(name, entry.get(name))
               for name in ("key", "kind", "occurred_at", *KIND_FIELDS[entry["kind"]])}
        row["assessment_level"] = (entry.get("assessment") or {}).get("level") or ""
        writer.writerow(row)
    return out.getvalue()


def from_csv(text):
    """Read entries back from to_csv() output."""
    entries = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        entry = {"key": row["key"], "kind": row["kind"], "occurred_at": row["occurred_at"]}
        for name in KIND_FIELDS[row["kind"]]:
            entry[name] = uncell(name, row[name])
        entries.append(entry)
    return entries


# --- HL7 FHIR R4 -----------------------------------------------------------------------------
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Body sites as SNOMED CT body structures; the thigh muscles share the thigh's code and
# say which side of the thigh in the text, which is the muscle's label.
BODY_SITES = {
    "calf": ("53840002", "Calf of leg"),
    "foot": ("56459004", "Foot"),
    "hamstring": ("68367000", "Thigh"),
    "quadriceps": ("68367000", "Thigh"),
    "hip": ("29836001", "Hip region structure"),
    "glute": ("46862004", "Buttock"),
    "hand": ("85562004", "Hand"),
    "forearm": ("14975008", "Forearm"),
    "neck": ("45048000", "Neck"),
    "back": ("77568009", "Back"),
    "abdomen": ("818981001", "Abdomen"),
}


def coding(system, code, display):
    """Return one FHIR Coding."""
    return {"system": system, "code": code, "display": display}


def urn(value):
    """Return a urn:uuid for a key (a UUID stays itself; anything else maps to one)."""
    try:
        return f"urn:uuid:{uuid.UUID(str(value))}"
    except ValueError:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'unknot:{value}')}"


def fhir_instant(value):
    """Format an ISO moment as a FHIR dateTime (seconds and an offset are required)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def body_site(entry):
    """Return the Observation.bodySite of a cramp entry."""
    side = entry.get("side")
    muscle = vocab.label(vocab.MUSCLES, entry.get("muscle")).lower()
    if side in ("left", "right"):
        muscle = f"{vocab.label(vocab.SIDES, side).lower()} {muscle}"
    elif side == "both":
        muscle = f"{muscle}, both sides"
    concept = {"text": muscle}
    code = BODY_SITES.get(entry.get("muscle"))
    if code:
        concept["coding"] = [coding(SNOMED, code[0], code[1])]
    return concept


def component(name, **value):
    """Return an Observation.component coded by text only."""
    return {"code": {"text": name}, **value}


def cramp_observation(entry, patient_ref):
    """Map a cramp entry to an Observation with pain intensity and body site."""
    parts = []
    if entry.get("intensity") is not None:
        parts.append({"code": {"coding": [coding(
            LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")],
            "text": "Pain intensity (0-10)"}, "valueInteger": entry["intensity"]})
    if entry.get("duration_s") is not None:
        parts.append(component("Duration of the episode", valueQuantity={
            "value": entry["duration_s"], "unit": "s", "system": UCUM, "code": "s"}))
    if entry.get("context"):
        parts.append(component("Context",
                               valueString=vocab.label(vocab.CONTEXTS, entry["context"])))
    for name, title, codes in (("triggers", "Possible triggers", vocab.TRIGGERS),
                               ("reliefs", "What helped", vocab.RELIEFS),
                               ("red_flags", "Warning signs reported", vocab.RED_FLAGS)):
        if entry.get(name):
            parts.append(component(title, valueString=vocab.labels(codes, entry[name])))
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [coding(CATEGORY, "survey", "Survey")]}],
        "code": {"coding": [coding(SNOMED, "55300003", "Cramp")], "text": "Muscle cramp"},
        "subject": {"reference": patient_ref},
        "effectiveDateTime": fhir_instant(entry["occurred_at"]),
        "bodySite": body_site(entry),
        "component": parts,
    }
    notes = [text for text in (entry.get("note"), assessment_note(entry)) if text]
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    return resource


def warning_messages(entry):
    """Return the messages of the server's warning-sign assessment of an entry."""
    flags = (entry.get("assessment") or {}).get("flags") or []
    return [flag["message"] for flag in flags if flag.get("message")]


def named(entry, words):
    """Lead a warning with the possible causes its rules name: the physio may read them, the
    person's own app never shows them."""
    known = redflags.concerns()
    found = dict.fromkeys(known[flag["rule"]] for flag in (entry.get("assessment") or {}).get("flags", ())
                          if flag.get("rule") in known)
    return f"Concern: {'; '.join(found)}. {words}" if found else words


def assessment_note(entry):
    """Describe the server's warning-sign assessment of an entry, if it raised any."""
    messages = warning_messages(entry)
    if not messages:
        return ""
    level = vocab.label(vocab.LEVELS, entry["assessment"].get("level", "unrated"))
    return f"Warning signs ({level}): " + named(entry, " ".join(messages))


def hydration_observation(entry, patient_ref):
    """Map a hydration entry to a fluid intake Observation in millilitres."""
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [coding(CATEGORY, "survey", "Survey")]}],
        "code": {"coding": [coding(LOINC, "9000-1", "Fluid intake oral Measured"),
                            coding(SNOMED, "251853006", "Oral fluid input")],
                 "text": "Drink"},
        "subject": {"reference": patient_ref},
        "effectiveDateTime": fhir_instant(entry["occurred_at"]),
        "valueQuantity": {"value": entry["volume_ml"], "unit": "mL", "system": UCUM,
                          "code": "mL"},
        "component": [component(
            "Drink", valueString=vocab.label(vocab.DRINKS, entry.get("drink") or "other"))],
    }


OBSERVATIONS = {"cramp": cramp_observation, "hydration": hydration_observation}


def fhir_bundle(patient, entries, *, now=None):
    """Build a FHIR R4 collection Bundle: the Patient, then one Observation per episode or drink.

    patient: {"id", "display_name"}. The Bundle is checked against the fhir.resources models
    before it is returned, so the server never hands out an invalid document.
    """
    from fhir.resources.R4B.bundle import Bundle

    patient_ref = urn(f"patient:{patient['id']}")
    resources = [(patient_ref, {"resourceType": "Patient", "id": f"unknot-{patient['id']}",
                                "name": [{"text": patient["display_name"]}]})]
    for entry in entries:
        build = OBSERVATIONS.get(entry.get("kind"))
        if build:
            resource = build(entry, patient_ref)
            resource["id"] = urn(entry["key"]).removeprefix("urn:uuid:")
            resources.append((urn(entry["key"]), resource))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": fhir_instant(now or datetime.now(timezone.utc)),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in resources],
    }
    Bundle.model_validate(bundle)
    return bundle


# --- One-page PDF ----------------------------------------------------------------------------
FONT_FILES = (  # a Unicode font when the system has one; else the PDF core fonts
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
BOTTOM_LINE = 72  # points from the foot of the page where the list of warning signs stops


def fonts():
    """Register and return (regular, bold) font names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold in FONT_FILES:
        if os.path.exists(regular) and os.path.exists(bold):
            if "UnknotSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("UnknotSans", regular))
                pdfmetrics.registerFont(TTFont("UnknotSans-Bold", bold))
            return "UnknotSans", "UnknotSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def flagged(entries):
    """Return (entry, level, words) for each entry with warning signs, newest first; the words
    name the concern, so this is for the physio's eyes only."""
    rows = []
    for entry in sorted(entries, key=insights.when, reverse=True):
        level = flag_level(entry)
        if level:
            words = " ".join(warning_messages(entry)) or (
                "Warning signs ticked: "
                + vocab.labels(vocab.RED_FLAGS, entry.get("red_flags") or []))
            rows.append((entry, level, named(entry, words)))
    return rows


def target_days(hydration, first_day, today):
    """Return (days the drinks target was met, days counted): only days the diary was kept,
    from the patient's first entry to today; days before it say nothing about drinking."""
    counted = [d for d in hydration if first_day is not None
               and first_day <= date.fromisoformat(d["date"]) <= today]
    return sum(1 for d in counted if d["met"]), len(counted)


def warning_groups(rows):
    """Group the entries with warning signs (`flagged`'s rows) by the rule that raised them,
    for a physio: the rule's concern as the title, its level, how many entries and their dates
    (newest first), the most serious group first. Signs ticked that no rule judged form one
    group."""
    concerns = redflags.concerns()
    groups = {}
    for entry, level, _ in rows:
        flags = (entry.get("assessment") or {}).get("flags") or []
        raised = [(flag["rule"], flag.get("level") or level) for flag in flags
                  if flag.get("level") != "self_care"] or [("ticked", level)]
        for rule, rule_level in raised:
            group = groups.setdefault(rule, {"rule": rule, "level": rule_level, "dates": []})
            if LEVEL_ORDER.index(rule_level) > LEVEL_ORDER.index(group["level"]):
                group["level"] = rule_level
            group["dates"].append(insights.day(entry).isoformat())
    for group in groups.values():
        concern = concerns.get(group["rule"]) or (
            "warning signs ticked, not yet judged by a rule" if group["rule"] == "ticked"
            else group["rule"].replace("-", " ").replace("_", " "))
        group["title"] = concern[0].upper() + concern[1:]
        group["count"] = len(group["dates"])
    return sorted(groups.values(), key=lambda g: (-LEVEL_ORDER.index(g["level"]), -g["count"],
                                                  g["title"]))


def headline(numbers, hydration, first_day, today):
    """Return the summary lines of the period."""
    met, counted = target_days(hydration, first_day, today)
    mean = numbers["mean_intensity"]
    duration = numbers["mean_duration_s"]
    return [
        f"Episodes: {numbers['episodes']} ({numbers['episodes_per_week']:g} a week); "
        f"night {numbers['night']}, exercise {numbers['exercise']}",
        f"Intensity: mean {'-' if mean is None else f'{mean:g}'} of 10; "
        f"{numbers['high_intensity']} at 7 or more; mean length "
        f"{'-' if duration is None else vocab.duration_text(duration)}",
        f"Drinks: {numbers['drinks']} logged, {numbers['volume_ml']} ml in total; "
        + (f"daily target met on {met} of {counted} days since the first entry" if counted
           else "no day of the diary in this period yet"),
        f"Routines logged: {numbers['routines']}",
    ]


def bar_drawing(labels, values, width, height, colour, sparse=False):
    """Return a reportlab Drawing with one vertical bar per value; no two axis labels touch.

    `sparse` labels (dates, one per bar) are thinned out where they would touch; the others
    are all kept and slanted.
    """
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 20, width - 40, height - 30
    chart.data = [values or [0]]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([1, *values]) * 1.15
    # Whole steps for counts: a chart of one episode per muscle has no 0.2 of an episode.
    chart.valueAxis.valueStep = max(1, math.ceil(chart.valueAxis.valueMax / 5))
    chart.bars[0].fillColor = colors.HexColor(colour)
    chart.bars.strokeColor = None
    axis = chart.categoryAxis.labels
    room = chart.width / max(1, len(labels))  # the width under one bar
    widest = max((stringWidth(label, axis.fontName, axis.fontSize) for label in labels), default=0)
    if widest + LABEL_GAP > room and not sparse:
        # Names that must all be read (muscles) slant, the chart rising to make room for them.
        axis.angle, axis.boxAnchor, axis.dy = SLANT, "ne", -2
        rise = widest * math.sin(math.radians(SLANT)) + 4
        chart.y, chart.height = 10 + rise, height - 20 - rise
    # Dates in a row are read from a few: every n-th stays, never closer than one label apart.
    step = max(1, math.ceil((widest + LABEL_GAP) / room)) if sparse else 1
    chart.categoryAxis.categoryNames = [lb if i % step == 0 else ""
                                        for i, lb in enumerate(labels)] or [""]
    drawing.add(chart)
    return drawing


def pdf_summary(patient, entries, start, end, *, assignments=(), today=None,
                target_ml=insights.DEFAULT_TARGET_ML, measure=None, now=None, patterns=None):
    """Render a one-page pre-visit summary as PDF bytes."""
    from reportlab.graphics import renderPDF
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    regular, bold = fonts()
    today = today or end
    now = now or datetime.now(timezone.utc)
    data = insights.charts(entries, start, end, today=today, target_ml=target_ml,
                           measure=measure, assignments=assignments)
    numbers = insights.summary(entries, start, end)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    page.setTitle(f"Pre-visit summary: {patient['display_name']}, {start} to {end}")
    left, right, y = 40, A4[0] - 40, A4[1] - 50

    def line(words, size=10, font=regular, gap=14, indent=0):
        nonlocal y
        for part in simpleSplit(words, font, size, right - left - indent) or [""]:
            page.setFont(font, size)
            page.drawString(left + indent, y, part)
            y -= gap

    line("Pre-visit summary", size=18, font=bold, gap=24)
    line(f"Patient: {patient['display_name']}", size=12, font=bold, gap=16)
    line(f"Period: {start.isoformat()} to {end.isoformat()}    "
         f"Prepared: {now.date().isoformat()}", size=10, gap=20)
    first_day = min(map(insights.day, entries), default=None)
    for words in headline(numbers, data["hydration"], first_day, min(today, now.date())):
        line(words)
    for outcome in data["before_after"][:3]:
        line(f"{outcome['title'] or 'Assigned programme'} (from {outcome['start_date']}): "
             f"{outcome['text']}")
    # The patient's own patterns (server/patterns.py): those with enough diary to answer.
    trial = (patterns or {}).get("experiment") or {}
    answered = [c for c in [trial.get("result")] + (patterns or {}).get("comparisons", [])
                if c and c["lower"] is not None]
    for comparison in answered[:3]:
        line(f"{comparison['title']}: {comparison['text']}", size=9, gap=12)
    y -= 6

    weeks = data["episodes_per_week"]
    line("Episodes per week", size=11, font=bold, gap=4)
    chart = bar_drawing([w["week"][5:] for w in weeks], [w["episodes"] for w in weeks],
                        right - left, 150, "#2f6f9f", sparse=True)
    renderPDF.draw(chart, page, left, y - 150)
    y -= 168
    half = (right - left - 20) / 2
    line("Episodes by muscle", size=11, font=bold, gap=4)
    muscles = data["by_muscle"][:8]
    renderPDF.draw(bar_drawing([vocab.label(vocab.MUSCLES, m["value"]) for m in muscles],
                               [m["episodes"] for m in muscles], half, 130, "#d9822b"),
                   page, left, y - 130)
    page.setFont(bold, 11)
    page.drawString(left + half + 20, y + 4, "Drinks per week in ml")
    hydration = weekly_volume(data["hydration"])
    renderPDF.draw(bar_drawing([w for w, _ in hydration], [v for _, v in hydration], half, 130,
                               "#3a8f4b", sparse=True), page, left + half + 20, y - 130)
    y -= 148

    rows = flagged(insights.within(entries, start, end))
    line(f"Warning signs in this period: {len(rows) or 'none'}", size=11, font=bold, gap=16)
    shown = 0
    for entry, level, words in rows:
        if y < BOTTOM_LINE:  # the page is full: one page is the promise
            break
        words = words if len(words) <= 180 else words[:179] + "\u2026"
        line(f"{insights.day(entry).isoformat()}  [{vocab.label(vocab.LEVELS, level)}]  {words}",
             size=9, gap=12, indent=8)
        shown += 1
    if shown < len(rows):
        line(f"... and {len(rows) - shown} more in the full export", size=9, indent=8)

    page.setFont(regular, 8)
    page.drawString(left, 30, "From the patient's own diary. A record to prepare the visit, "
                              "not a diagnosis.")
    page.showPage()
    page.save()
    return out.getvalue()


def weekly_volume(days):
    """Sum daily volumes into (MM-DD of the Monday, ml) per week."""
    weeks = {}
    for d in days:
        week = insights.monday(datetime.fromisoformat(d["date"]).date()).isoformat()[5:]
        weeks[week] = weeks.get(week, 0) + d["volume_ml"]
    return list(weeks.items())
