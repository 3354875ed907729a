"""SVG charts drawn on the server as plain strings, so every client shows the same picture.

Every label passes through `esc`; colours are presentation attributes (no <style> element,
which would leak into a page that inlines the SVG), so a stylesheet can still restyle them
through the class names. Each chart has role="img", a <title> and a <desc> for screen readers.
"""

import math
import re
from datetime import date
from html import escape

from schemas import vocabulary as vocab

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 52, 44
MAX_LABELS = 14
COLOURS = ("#2f6f9f", "#d9822b")
TARGET_COLOUR = "#3a8f4b"
LINE_COLOUR = "#b03a2e"
INK = "#333333"
GRID = "#d0d0d0"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(value):
    """Escape text for SVG content and attributes, dropping characters XML cannot hold."""
    return escape(NOT_XML.sub("", str(value)), quote=True)


def num(value):
    """Format a number without trailing zeros."""
    return f"{value:g}"


def nice_top(value):
    """Round a maximum up to 1, 2 or 5 times a power of ten, so gridlines read well."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def short_date(iso):
    """Render an ISO date as '4 Mar'."""
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS[d.month - 1]}"


def svg(title, desc, body, width=WIDTH, height=HEIGHT):
    """Wrap chart parts in an accessible SVG document."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'font-family="sans-serif" aria-label="{esc(title)}">'
            f'<title>{esc(title)}</title><desc>{esc(desc)}</desc>'
            f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold" fill="{INK}">'
            f'{esc(title)}</text>{"".join(body)}</svg>')


def text(x, y, label, anchor="middle", size=11, css="label"):
    """Place one text label."""
    return (f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" '
            f'text-anchor="{anchor}">{esc(label)}</text>')


def grid(top, unit, height=HEIGHT, width=WIDTH):
    """Draw horizontal gridlines at 0, half and the top of the scale, labelled on the left."""
    parts, bottom = [], height - BOTTOM
    for share in (0, 0.5, 1):
        y = bottom - share * (bottom - TOP)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" '
                     f'y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(text(LEFT - 6, y + 4, num(round(top * share, 1)), anchor="end"))
    parts.append(text(LEFT - 6, TOP - 16, unit, anchor="end", size=10, css="unit"))
    return parts


def x_labels(labels, slot, height=HEIGHT):
    """Label the x axis, skipping some when there are too many to read."""
    step = max(1, math.ceil(len(labels) / MAX_LABELS))
    return [text(LEFT + slot * (i + 0.5), height - BOTTOM + 16, label)
            for i, label in enumerate(labels) if i % step == 0]


def columns(title, labels, series, *, unit, target=None, line=None):
    """Draw vertical bars, grouped when several series are given.

    series: [(name, values)]; target: a value drawn as a horizontal line;
    line: (name, values, scale_top) drawn as a polyline against its own right-hand scale.
    """
    values = [v or 0 for _, vs in series for v in vs]
    top = nice_top(max(values + [target or 0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(labels))
    bar_w = slot * 0.8 / max(1, len(series))
    body = grid(top, unit)
    for k, (name, vs) in enumerate(series):
        for i, v in enumerate(vs):
            h = plot_h * (v or 0) / top
            x = LEFT + slot * i + slot * 0.1 + bar_w * k
            body.append(f'<rect class="bar series-{k}" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" '
                        f'width="{bar_w:.1f}" height="{h:.1f}" fill="{COLOURS[k % 2]}">'
                        f'<title>{esc(labels[i])}: {esc(name)} {esc(num(v or 0))}</title></rect>')
    if target is not None:
        y = TOP + plot_h - plot_h * target / top
        body.append(f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
                    f'y2="{y:.1f}" stroke="{TARGET_COLOUR}" stroke-width="2" '
                    f'stroke-dasharray="6 4"/>')
        body.append(text(WIDTH - RIGHT, y - 5, f"target {num(target)}", anchor="end", size=10))
    if line is not None:
        body.extend(polyline(line, slot, plot_h))
    body.extend(x_labels(labels, slot))
    keys = [(name, COLOURS[k % 2]) for k, (name, _) in enumerate(series)]
    body.append(legend(keys + ([(line[0], LINE_COLOUR)] if line else [])))
    return svg(title, describe(labels, series), body)


def polyline(line, slot, plot_h):
    """Draw a series against its own scale on the right (e.g. intensity 0-10)."""
    name, values, scale_top = line
    points = [(LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * v / scale_top)
              for i, v in enumerate(values) if v is not None]
    parts = [text(WIDTH - RIGHT + 6, TOP + 4, num(scale_top), anchor="start"),
             text(WIDTH - RIGHT + 6, TOP + plot_h + 4, "0", anchor="start"),
             text(WIDTH - RIGHT + 6, TOP - 16, name.split()[-1], anchor="start", size=10,
                  css="unit")]
    if points:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="line" points="{coords}" fill="none" '
                     f'stroke="{LINE_COLOUR}" stroke-width="2"><title>{esc(name)}</title>'
                     '</polyline>')
        parts.extend(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" '
                     f'fill="{LINE_COLOUR}"/>' for x, y in points)
    return parts


def legend(keys):
    """Name each (name, colour) in a row under the title, right-aligned."""
    parts, x = [], WIDTH - RIGHT
    for name, colour in reversed(keys):
        x -= 22 + 6 * len(name)
        parts.append(f'<rect x="{x:.1f}" y="{TOP - 44}" width="10" height="10" fill="{colour}"/>')
        parts.append(text(x + 14, TOP - 35, name, anchor="start", size=10))
    return "".join(parts)


def bars(title, items, *, unit):
    """Draw horizontal bars, one per (label, value), largest first as given."""
    row = 24
    height = TOP + BOTTOM + row * max(1, len(items))
    top = nice_top(max([v for _, v in items] + [0]))
    left = LEFT + 72
    plot_w = WIDTH - left - RIGHT
    body = [text(left, TOP - 12, unit, anchor="start", size=10, css="unit")]
    for i, (label, v) in enumerate(items):
        y = TOP + row * i
        w = plot_w * v / top
        body.append(text(left - 8, y + 16, label, anchor="end"))
        body.append(f'<rect class="bar series-0" x="{left}" y="{y + 4:.1f}" width="{w:.1f}" '
                    f'height="{row - 8}" fill="{COLOURS[0]}"><title>{esc(label)}: '
                    f'{esc(num(v))}</title></rect>')
        body.append(text(left + w + 6, y + 16, num(v), anchor="start"))
    if not items:
        body.append(text(WIDTH / 2, TOP + 16, "Nothing logged in this period"))
    desc = "; ".join(f"{label}: {num(v)}" for label, v in items) or "Nothing logged."
    return svg(title, desc, body, height=height)


def describe(labels, series):
    """Summarise a chart's numbers as text for its <desc>."""
    totals = ", ".join(f"{name} {num(round(sum(v or 0 for v in vs), 1))} in total"
                       for name, vs in series)
    span = f"{labels[0]} to {labels[-1]}" if labels else "no period"
    return f"{span}: {totals}."


def render(data):
    """Draw every chart of insights.charts() output; returns {name: svg}."""
    weeks = [short_date(w["week"]) for w in data["episodes_per_week"]]
    hydration = data["hydration"]
    target = hydration[0]["target_ml"] if hydration else None
    adherence = data["adherence"]
    return {
        "episodes_per_week": columns(
            "Episodes per week", weeks,
            [("episodes", [w["episodes"] for w in data["episodes_per_week"]])],
            unit="episodes",
            line=("mean intensity", [w["mean_intensity"] for w in data["episodes_per_week"]],
                  10)),
        "by_muscle": bars("Episodes by muscle",
                          [(vocab.label(vocab.MUSCLES, m["value"]), m["episodes"])
                           for m in data["by_muscle"]],
                          unit="episodes"),
        "by_context": bars("Episodes by context",
                           [(vocab.label(vocab.CONTEXTS, c["value"]), c["episodes"])
                            for c in data["by_context"]],
                           unit="episodes"),
        "night_vs_exercise": columns(
            "Night and exercise episodes", weeks,
            [("night", [w["night"] for w in data["night_vs_exercise"]]),
             ("exercise", [w["exercise"] for w in data["night_vs_exercise"]])],
            unit="episodes"),
        "hydration": columns(
            "Drinks per day against the target", [short_date(d["date"]) for d in hydration],
            [("drunk", [d["volume_ml"] for d in hydration])], unit="ml", target=target),
        "adherence": columns(
            "Assigned sessions per week", [short_date(w["week"]) for w in adherence],
            [("done", [w["done"] for w in adherence]),
             ("planned", [w["planned"] for w in adherence])],
            unit="sessions"),
    }
