"""Draw an exercise's picture from its pose: one figure, posed by joint angles, as SVG.

Every picture is the same figure (FIGURE's segment lengths) in one or two frames. A frame
gives the trunk's lean and each limb's joint angles in degrees; `place` turns them into points
(forward kinematics, hip first), rests the figure on its surface and centres it in a
PANEL x SIZE panel. Two frames (the start and the end of a movement) sit side by side.

Angles, in the image plane, with the figure facing right (+x):
- lean: the trunk from upright, forward positive (-90 lies on the back, head to the left);
- hip, shoulder: the thigh or upper arm from the trunk's line, forward positive (0 hangs
  along the trunk); knee: the shin bent back from the thigh's line; elbow: the forearm bent
  forward from the upper arm's; ankle: the foot from a right angle to the shin, toes up
  positive; wrist: the hand from the forearm's line, forward positive; neck: the head
  from the trunk's line, forward positive.
In a front view the far side's angles are mirrored, so equal values on both sides stand
symmetric, and "forward" means toward the near side. A view from above is a side view of a
figure lying on its side, without the floor line. A leg pointing at the viewer (front or above)
is drawn at its `toward` share of its length.

The app's style sheet colours the markup by class (so night mode can dim it); the handout draws
the same strokes in INK.
"""

import math
from xml.sax.saxutils import escape

from schemas.content import SURFACES as SURFACE_NAMES

SIZE = 200  # a panel's height
PANEL = 240  # a panel's width: a figure lying at full length fits
FLOOR = 192
BED_TOP = FLOOR - 34
STEP_TOP = FLOOR - 22
SEAT_TOP = FLOOR - 40  # a chair's seat: a seated figure's feet reach the floor
GAP = 24  # between two frames, where the arrow goes
# The figure: segment lengths and the head's radius, in the picture's units.
FIGURE = {"trunk": 50, "neck": 8, "head": 10, "upper_arm": 28, "forearm": 25, "hand": 9,
          "thigh": 42, "shin": 40, "foot": 16, "heel": 4}
# Seen from the front, a seated figure's thighs point at the viewer: drawn at this share of
# their length.
FORESHORTENED = 0.3
# Half the shoulders' and hips' width, seen from the front.
FRONT_HALF = {"shoulder": 12, "hip": 7}
# Where a muscle is drawn: a segment, the side of it (1 front, -1 back, 0 along), and the part
# of its length; "hip" is the hip flexors at the top of the thigh's front.
MUSCLE_PLACES = {
    "calf": ("shin", -1, 0.1, 0.6), "foot": ("foot", 0, 0.0, 1.0),
    "hamstring": ("thigh", -1, 0.15, 0.85), "quadriceps": ("thigh", 1, 0.15, 0.85),
    "hip": ("thigh", 1, 0.0, 0.35), "glute": ("trunk", -1, 0.0, 0.25),
    "hand": ("hand", 0, 0.0, 1.0), "forearm": ("forearm", 0, 0.1, 0.9),
    "neck": ("neck", 0, 0.0, 1.0), "back": ("trunk", -1, 0.25, 0.9),
    "abdomen": ("trunk", 1, 0.1, 0.6),
}
SURFACES = dict(zip(SURFACE_NAMES, (FLOOR, BED_TOP, STEP_TOP, SEAT_TOP)))

# Colours when nothing overrides them: body, far limbs, highlighted muscle, props.
INK = {"body": "#3d4a5c", "trunk": "#3d4a5c", "far": "#9aa6b5", "muscle": "#d9480f",
       "prop": "#8a7b6a", "arrow": "#8a7b6a", "pack": "#8a7b6a"}
# The class of each kind of stroke in the app's markup, a letter each (the style sheet's
# `.pose .b` and so on): 32 pictures repeat them hundreds of times in the shell.
CLASSES = {"body": "b", "trunk": "t", "far": "f", "muscle": "m", "prop": "p", "arrow": "a",
           "pack": "k"}
WIDTH = {"body": 9, "trunk": 15, "far": 8, "muscle": 5, "prop": 3, "arrow": 3, "pack": 8}


def _vector(theta, length):
    rad = math.radians(theta)
    return math.sin(rad) * length, math.cos(rad) * length


def _add(point, theta, length):
    dx, dy = _vector(theta, length)
    return point[0] + dx, point[1] + dy


def _limb(root, base, angles, mirror, chain, thigh_length, toward=1):
    """Points of one leg or arm from its root; `base` is the trunk's downward direction."""
    sign = -1 if mirror else 1
    if chain == "leg":
        thigh = base + sign * angles["hip"]
        knee = _add(root, thigh, thigh_length)
        shin = thigh - sign * angles["knee"]
        ankle = _add(knee, shin, FIGURE["shin"] * toward)
        foot = shin + sign * (90 + angles["ankle"])
        heel = _add(ankle, foot, -FIGURE["heel"])
        toe = _add(ankle, foot, FIGURE["foot"] - FIGURE["heel"])
        return {"hip": root, "knee": knee, "ankle": ankle, "heel": heel, "toe": toe}
    upper = base + sign * angles["shoulder"]
    elbow = _add(root, upper, FIGURE["upper_arm"])
    fore = upper + sign * angles["elbow"]
    wrist = _add(elbow, fore, FIGURE["forearm"])
    hand = _add(wrist, fore + sign * angles["wrist"], FIGURE["hand"])
    return {"shoulder": root, "elbow": elbow, "wrist": wrist, "hand": hand}


def pose_points(frame):
    """Return the frame's named points with the hip at (0, 0), before placing."""
    lean, front = frame["lean"], frame.get("view") == "front"
    up = 180 - lean  # the trunk's direction, hip to shoulder
    down = -lean
    hip = (0.0, 0.0)
    shoulder = _add(hip, up, FIGURE["trunk"])
    neck_top = _add(shoulder, up - frame["neck"], FIGURE["neck"])
    head = _add(neck_top, up - frame["neck"], FIGURE["head"])
    points = {"hip": hip, "shoulder": shoulder, "neck": neck_top, "head": head}
    for side in ("near", "far"):
        mirror = front and side == "far"
        across = (-1 if side == "far" else 1) if front else 0
        angles = frame[side]
        hip_root = _add(hip, up - 90, across * FRONT_HALF["hip"]) if front else hip
        shoulder_root = _add(shoulder, up - 90, across * FRONT_HALF["shoulder"]) if front else shoulder
        toward = angles.get("toward", 1)
        thigh = FIGURE["thigh"] * toward * (FORESHORTENED if front and frame.get("seated") else 1)
        for chain, root in (("leg", hip_root), ("arm", shoulder_root)):
            for name, point in _limb(root, down, angles, mirror, chain, thigh, toward).items():
                points[f"{side}.{name}"] = point
    return points


def _body_extent(points):
    """The lowest y of the body (the head counts by its radius)."""
    lows = [y for name, (x, y) in points.items() if name != "head"]
    return max(lows + [points["head"][1] + FIGURE["head"]])


def place(frame):
    """Return the frame's points in its panel: resting on its surface, centred across."""
    points = pose_points(frame)
    surface = frame.get("on", "floor")
    support = frame.get("support")
    low = points[support][1] if support else _body_extent(points)
    # A figure resting on its hips or shoulders rests on the trunk's thicker stroke.
    margin = (WIDTH["trunk"] - WIDTH["body"]) / 2 if support in ("hip", "shoulder") else 0
    dy = SURFACES[surface] - low - margin - frame.get("lift", 0)
    xs = [x for x, _ in points.values()]
    head_x = points["head"][0]
    left = min(xs + [head_x - FIGURE["head"]])
    right = max(xs + [head_x + FIGURE["head"]])
    dx = PANEL / 2 - (left + right) / 2
    return {name: (x + dx, y + dy) for name, (x, y) in points.items()}


def _segments(points, side):
    """The polylines of one side's leg and arm."""
    leg = [points[f"{side}.{name}"] for name in ("hip", "knee", "ankle")]
    foot = [points[f"{side}.heel"], points[f"{side}.toe"]]
    arm = [points[f"{side}.{name}"] for name in ("shoulder", "elbow", "wrist", "hand")]
    return [leg, foot, arm]


SEGMENT_ENDS = {"shin": ("knee", "ankle"), "thigh": ("hip", "knee"), "foot": ("heel", "toe"),
                "hand": ("wrist", "hand"), "forearm": ("elbow", "wrist"),
                "trunk": ("hip", "shoulder"), "neck": ("shoulder", "neck")}


def muscle_line(points, muscle, frame, lift=0):
    """The highlight for `muscle` on the near side: a short line along its segment (`lift`
    units further out from it, for a pack lying on the muscle)."""
    segment, side, start, stop = MUSCLE_PLACES[muscle]
    a, b = SEGMENT_ENDS[segment]
    if segment not in ("trunk", "neck"):
        a, b = f"near.{a}", f"near.{b}"
    (x1, y1), (x2, y2) = points[a], points[b]
    length = math.hypot(x2 - x1, y2 - y1) or 1
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    # The front of a limb pointing away from the trunk is to its left when facing along it;
    # the trunk runs the other way (hip to shoulder). A front view has no front or back.
    normal = (uy, -ux) if segment in ("trunk", "neck") else (-uy, ux)
    if frame.get("view") == "front":
        side = 0
    offset = side * (WIDTH["body"] / 2 - 1 + lift)
    nx, ny = -normal[0] * offset, -normal[1] * offset
    return [(x1 + ux * length * t + nx, y1 + uy * length * t + ny) for t in (start, stop)]


MIDPOINTS = {"shin": ("knee", "ankle"), "thigh": ("hip", "knee"), "forearm": ("elbow", "wrist")}


def point(points, name):
    """A named point, or the middle of a named limb segment ("near.shin")."""
    side, _, segment = name.partition(".")
    if segment in MIDPOINTS:
        (x1, y1), (x2, y2) = (points[f"{side}.{end}"] for end in MIDPOINTS[segment])
        return (x1 + x2) / 2, (y1 + y2) / 2
    return points[name]


def prop_shapes(frame, points):
    """Return (kind, polyline) pairs for the frame's surface and props."""
    # Seen from above, the figure lies on the floor: there is no floor line to draw.
    shapes = [] if frame.get("view") == "above" else [("floor", [(4, FLOOR + 4), (PANEL - 4, FLOOR + 4)])]
    if frame.get("seated"):
        # A stool seen from the front: its seat under the hips, a leg at each end.
        x, y = points["hip"][0], points["hip"][1] + 7
        shapes.append(("seat", [(x - 22, FLOOR + 4), (x - 22, y), (x + 22, y), (x + 22, FLOOR + 4)]))
    surface = frame.get("on", "floor")
    xs = [x for name, (x, _) in points.items()]
    if surface == "bed":
        left, right = max(min(xs) - 8, 4), min(max(xs) + 8, PANEL - 4)
        shapes.append(("bed", [(left, FLOOR + 4), (left, BED_TOP + 3), (right, BED_TOP + 3),
                               (right, FLOOR + 4)]))
    elif surface == "step":
        x = points[frame.get("support", "near.toe")][0]
        # The ball of the foot on the step's edge; the step runs forward from there.
        shapes.append(("step", [(x - 8, FLOOR + 4), (x - 8, STEP_TOP + 4), (x + 70, STEP_TOP + 4)]))
    elif surface == "chair":
        # Seated on a chair: its back behind the hips, its seat under them.
        x, y = points["hip"][0], SEAT_TOP + 4
        shapes.append(("chair", [(x - 16, y - 46), (x - 16, FLOOR + 4), (x - 16, y), (x + 20, y),
                                 (x + 20, FLOOR + 4)]))
    for prop in frame.get("props", []):
        kind = prop["kind"]
        if kind == "pack":
            continue  # drawn on the marked muscle, over the figure (frame_shapes)
        at = point(points, prop["at"])
        if kind == "wall":
            x = at[0] + 6
            shapes.append(("wall", [(x, FLOOR + 4), (x, FLOOR - 150)]))
        elif kind == "chair":
            # A chair held by its back: the back's top in the hand, the seat away from the figure.
            away = 1 if at[0] >= points["hip"][0] else -1
            x, y = at[0] + 3 * away, SEAT_TOP + 4
            shapes.append(("chair", [(x, at[1] - 2), (x, FLOOR + 4), (x, y), (x + 34 * away, y),
                                     (x + 34 * away, FLOOR + 4)]))
        elif kind == "table":
            x, y = at[0], at[1] + 4
            shapes.append(("table", [(x - 26, y), (x + 30, y), (x + 22, y), (x + 22, FLOOR + 4)]))
        elif kind == "cushion":
            x, y = at
            shapes.append(("cushion", [(x - 11, y + 4), (x + 11, y + 4), (x + 11, y + 11),
                                       (x - 11, y + 11), (x - 11, y + 4)]))
        elif kind == "towel":
            shapes.append(("towel", [at, points[prop["to"]]]))
        elif kind == "rail":
            x = at[0] + 4
            shapes.append(("rail", [(x, FLOOR + 4), (x, at[1] - 4), (x - 8, at[1] - 4)]))
    return shapes


# Props in the hands, drawn over the figure.
HELD = ("towel",)


def _pair(x, y):
    """Two numbers of path data: a minus sign separates them as well as a space does."""
    return f"{x}{'' if y < 0 else ' '}{y}"


def _path(lines):
    """SVG path data: the first polyline from its first point, each next one moved to from the
    end of the one before, and every point a step from the last, in whole units. Small
    numbers, no repeated commands: the shell's copy of every picture stays small."""
    data, last = [], None
    for line in lines:
        points = [(round(x), round(y)) for x, y in line]
        (x, y), steps = points[0], [_pair(x1 - x0, y1 - y0)
                                    for (x0, y0), (x1, y1) in zip(points, points[1:])]
        data.append(f"M{x} {y}" if last is None else "m" + _pair(x - last[0], y - last[1]))
        if steps:
            data.append("l" + steps[0] + "".join(
                step if step.startswith("-") else " " + step for step in steps[1:]))
        last = points[-1]
    return "".join(data)


def _girdles(points, frame):
    """Seen from the front, the shoulders and the hips are bars joining the two sides."""
    if frame.get("view") != "front":
        return []
    return [[points[f"far.{joint}"], points[f"near.{joint}"]] for joint in ("shoulder", "hip")]


def frame_shapes(frame, highlight):
    """Return the frame's strokes in paint order: (kind, polylines), and the head's circle."""
    points = place(frame)
    shapes = prop_shapes(frame, points)
    strokes = [("prop", [line for kind, line in shapes if kind not in HELD]),
               ("body" if frame.get("view") == "front" else "far", _segments(points, "far")),
               ("trunk", [[points["hip"], points["shoulder"]]]),
               ("body", [[points["shoulder"], points["neck"]]] + _segments(points, "near")
                + _girdles(points, frame))]
    if highlight:
        strokes.append(("muscle", [muscle_line(points, highlight, frame)]))
    if highlight and any(prop["kind"] == "pack" for prop in frame.get("props", [])):
        strokes.append(("pack", [muscle_line(points, highlight, frame, lift=WIDTH["pack"] / 2)]))
    strokes.append(("prop", [line for kind, line in shapes if kind in HELD]))
    return [(kind, lines) for kind, lines in strokes if lines], points["head"]


def panels(picture):
    """Yield (x offset, strokes, head) per frame, with the arrow between frames as a stroke."""
    for index, frame in enumerate(picture["frames"]):
        x = index * (PANEL + GAP)
        strokes, head = frame_shapes(frame, picture.get("highlight"))
        if index:
            # A chevron between the frames: from the first position to the second.
            mid = -GAP / 2
            strokes.insert(0, ("arrow", [[(mid - 4, FLOOR - 48), (mid + 4, FLOOR - 40),
                                          (mid - 4, FLOOR - 32)]]))
        yield x, strokes, head


def width(picture):
    """The picture's width in its units: one panel, or two with the gap between."""
    count = len(picture["frames"])
    return PANEL * count + GAP * (count - 1)


def top(drawn):
    """The highest y that any of the `panels` draws at (strokes and head), less a stroke's
    margin: a picture is cropped from there to the floor, so a lying figure takes less height."""
    highest = min(min(min(y for line in lines for _, y in line) for _, lines in strokes)
                  for _, strokes, _ in drawn)
    heads = min(head[1] - FIGURE["head"] for _, _, head in drawn)
    return max(0, math.floor(min(highest, heads) - WIDTH["trunk"] / 2 - 2))


def svg(picture):
    """Return the picture as one <svg> element labelled with its text alternative; colours and
    widths come from the page's style sheet, by class (pwa/css/app.css)."""
    parts, drawn = [], list(panels(picture))
    for x, strokes, (hx, hy) in drawn:
        body = "".join(f"<path class='{CLASSES[kind]}' d='{_path(lines)}'/>"
                       for kind, lines in strokes)
        body += f"<circle class='h' cx='{hx:.0f}' cy='{hy:.0f}' r='{FIGURE['head']}'/>"
        parts.append(f"<g transform='translate({x} 0)'>{body}</g>" if x else body)
    # Single quotes: the markup travels inside JSON strings, where double ones are escaped.
    label = escape(picture["alt"], {"'": "&#39;"})
    y = top(drawn)
    # The app adds class="pose" and role="img" as it draws it (pwa/js/drawings.js).
    return (f"<svg viewBox='0 {y} {width(picture)} {SIZE - y}' aria-label='{label}'>"
            f"{''.join(parts)}</svg>")


def drawing(picture, scale):
    """Return the picture as a reportlab Drawing `scale` times its size, in the house colours."""
    from reportlab.graphics.shapes import Circle, Drawing, Group, PolyLine
    from reportlab.lib import colors

    drawn = list(panels(picture))
    y = top(drawn)
    result = Drawing(width(picture) * scale, (SIZE - y) * scale)
    for x, strokes, (hx, hy) in drawn:
        # reportlab's y runs up: flip each panel and move it into place.
        group = Group(transform=(scale, 0, 0, -scale, x * scale, SIZE * scale))
        for kind, lines in strokes:
            for line in lines:
                group.add(PolyLine([value for point in line for value in point],
                                   strokeColor=colors.HexColor(INK[kind]), strokeWidth=WIDTH[kind],
                                   strokeLineCap=1, strokeLineJoin=1))
        group.add(Circle(hx, hy, FIGURE["head"], fillColor=colors.HexColor(INK["body"]),
                         strokeColor=None))
        result.add(group)
    return result
