"""A printable handout: a routine's or a programme's exercises with their pictures, on A4.

Each exercise gets its picture, its steps, its dose, its sides and its cautions; a programme
also gets its week plan. A handout names no one: it is what a person takes home.
"""

import io
from xml.sax.saxutils import escape

from flask import Response

from schemas import vocabulary as vocab
from server import pictures
from server.models.content import Exercise, Routine
from server.reports import fonts
from server.timeline import effective_dose

BODY_PT = 10  # no text on the handout is smaller
PICTURE_PT = 150  # the width of one frame on paper


def dose_text(dose):
    """Say a dose in words: "Hold 30 s, 3 times, each side, 10 s rest between"; an exercise
    done on one side (the cramping one) or with both at once says no side."""
    if dose.get("until_release"):
        work = "Hold until it lets go"
    elif dose.get("hold_s") is not None:
        work = f"Hold {vocab.duration_text(dose['hold_s'])}"
    else:
        work = f"{dose['reps']} repetitions"
    parts = [work, "once" if dose["sets"] == 1 else f"{dose['sets']} times"]
    if dose.get("per_side"):
        parts.append("each side")
    if dose.get("rest_s") and dose["sets"] > 1:
        parts.append(f"{vocab.duration_text(dose['rest_s'])} rest between")
    return ", ".join(parts)


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=BODY_PT, leading=BODY_PT * 1.3)
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=13, leading=16,
                                  spaceBefore=10, spaceAfter=4),
        "name": ParagraphStyle("name", fontName=bold, fontSize=12, leading=15, spaceAfter=2),
        "body": body,
        "dose": ParagraphStyle("dose", parent=body, fontName=bold),
        "caution": ParagraphStyle("caution", parent=body, leftIndent=8),
    }


def exercise_block(exercise, dose, styles, width):
    """One exercise: its picture beside its name, dose, steps and cautions."""
    from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

    picture = exercise["picture"]
    scale = PICTURE_PT / pictures.SIZE
    if len(picture["frames"]) > 1:
        scale *= 0.6  # two frames side by side take about the room of one and a fifth
    drawing = pictures.drawing(picture, scale)
    words = [Paragraph(escape(exercise["name"]), styles["name"]),
             Paragraph(escape(dose_text(dose)), styles["dose"])]
    words += [Paragraph(f"{number}. {escape(step)}", styles["body"])
              for number, step in enumerate(exercise["steps"], 1)]
    words += [Paragraph(f"Take care: {escape(caution)}", styles["caution"])
              for caution in exercise.get("cautions", [])]
    left = max(drawing.width, PICTURE_PT * 0.75) + 12
    table = Table([[drawing, words]], colWidths=[left, width - left])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    return KeepTogether([table])


def routine_story(routine, exercises, styles, width):
    """The flowables of one routine: its summary, then each exercise."""
    from reportlab.platypus import Paragraph

    story = [Paragraph(escape(routine["summary"]), styles["body"])] if routine.get("summary") else []
    for item in routine["items"]:
        exercise = exercises[item["exercise"]]
        story.append(exercise_block(exercise, effective_dose(exercise, item.get("dose") or {}),
                                    styles, width))
    return story


def week_plan(programme, routines, styles, width, start=None):
    """A table of the programme's phases: the weeks (or dates), the routine, how often, the goal."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [[Paragraph(f"<b>{head}</b>", styles["body"]) for head in ("Weeks", "Routine", "How often", "Goal")]]
    for index, phase in enumerate(programme["phases"]):
        first, last = phase["weeks"]
        when = f"{first}" if first == last else f"{first} to {last}"
        if start:
            when += f"<br/>from {start[index]}"
        times = phase.get("times_per_day", 1)
        often = f"{phase['sessions_per_week']} days a week" + (f", {times} times a day" if times > 1 else "")
        rows.append([Paragraph(when, styles["body"]),
                     Paragraph(escape(routines[phase["routine"]]["name"]), styles["body"]),
                     Paragraph(often, styles["body"]),
                     Paragraph(escape(phase["goal"]), styles["body"])])
    table = Table(rows, colWidths=[width * 0.14, width * 0.26, width * 0.2, width * 0.4])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.5, "#999999")]))
    return [table]


def render(title, story_of):
    """Lay out a handout on A4: `story_of(styles, width)` gives the flowables under the title."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    margin = 40
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin,
                                 topMargin=margin, bottomMargin=margin, title=title,
                                 invariant=1)
    styles = _styles()
    width = A4[0] - 2 * margin
    regular = styles["body"].fontName

    def footer(canvas, doc):
        canvas.setFont(regular, BODY_PT)
        canvas.drawString(margin, 30, f"Unknot · {title} · page {doc.page}")
        canvas.drawString(margin, 17, "Stop if anything hurts sharply, and ask your physiotherapist.")

    document.build([Paragraph(escape(title), styles["title"])] + story_of(styles, width),
                   onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def pdf_response(body, name):
    """Answer with a handout to save or print."""
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


def for_programme(programme, start=None):
    """Return the PDF of a catalogue programme, reading its routines and their exercises."""
    routines = {row.slug: row.data for row in
                Routine.select().where(Routine.slug.in_([p["routine"] for p in programme["phases"]]))}
    exercises = Exercise.data_by_slug(item["exercise"] for routine in routines.values()
                                      for item in routine["items"])
    return programme_handout(programme, routines, exercises, start)


def for_routine(routine):
    """Return the PDF of a routine, reading its exercises."""
    return routine_handout(routine, Exercise.data_by_slug(item["exercise"]
                                                          for item in routine["items"]))


def routine_handout(routine, exercises):
    """Return the PDF of one routine (a catalogue one or a physio's composed one)."""
    return render(routine["name"], lambda styles, width: routine_story(routine, exercises,
                                                                       styles, width))


def programme_handout(programme, routines, exercises, start=None):
    """Return the PDF of a programme: its week plan, then each phase's routine; `start` gives
    each phase's first day when the programme is assigned."""
    from reportlab.platypus import Paragraph

    def story(styles, width):
        parts = [Paragraph(escape(programme["summary"]), styles["body"]),
                 Paragraph("Week plan", styles["heading"])]
        parts += week_plan(programme, routines, styles, width, start)
        shown = set()
        for phase in programme["phases"]:
            if phase["routine"] in shown:
                continue
            shown.add(phase["routine"])
            routine = routines[phase["routine"]]
            first, last = phase["weeks"]
            weeks = f"Week {first}" if first == last else f"Weeks {first} to {last}"
            parts.append(Paragraph(escape(f"{weeks}: {routine['name']}"),
                                   styles["heading"]))
            parts += routine_story(routine, exercises, styles, width)
        return parts

    return render(programme["name"], story)
