"""Exercise pictures: every exercise has one, drawn from one figure inside its frame, with the
muscle it marks among the exercise's own, and labelled in words."""

import copy
import math
import re

import pytest
from marshmallow import ValidationError

from schemas.content import DRAWN_MUSCLES, JOINT_RANGES, exercise_schema
from server import pictures
from server.content import read_file

EXERCISES = read_file("exercises")
FRAMES = [(e["slug"], i, frame) for e in EXERCISES for i, frame in enumerate(e["picture"]["frames"])]
# Segments whose drawn length is the figure's, in every side view: (from, to, FIGURE key).
SEGMENTS = [("hip", "shoulder", "trunk")] + [
    (f"{side}.{a}", f"{side}.{b}", length) for side in ("near", "far")
    for a, b, length in (("hip", "knee", "thigh"), ("knee", "ankle", "shin"),
                         ("shoulder", "elbow", "upper_arm"), ("elbow", "wrist", "forearm"),
                         ("wrist", "hand", "hand"), ("heel", "toe", "foot"))]


def test_every_muscle_the_schema_lets_a_picture_mark_has_a_place_on_the_figure():
    assert set(DRAWN_MUSCLES) == set(pictures.MUSCLE_PLACES)


def test_every_exercise_has_a_picture_of_one_or_two_frames():
    assert len(EXERCISES) == 32
    assert all(1 <= len(e["picture"]["frames"]) <= 2 for e in EXERCISES)


def test_the_schema_refuses_an_exercise_without_a_picture():
    exercise = {key: value for key, value in EXERCISES[0].items() if key != "picture"}
    with pytest.raises(ValidationError) as error:
        exercise_schema.load(exercise)
    assert "picture" in error.value.messages


@pytest.mark.parametrize("joint", ["knee", "elbow", "ankle", "hip"])
def test_the_schema_refuses_a_joint_outside_its_human_range(joint):
    exercise = copy.deepcopy(EXERCISES[0])
    exercise["picture"]["frames"][0]["near"][joint] = JOINT_RANGES[joint][1] + 1
    with pytest.raises(ValidationError) as error:
        exercise_schema.load(exercise)
    assert joint in str(error.value.messages["picture"])


def test_the_schema_refuses_a_marked_muscle_the_exercise_does_not_work():
    exercise = copy.deepcopy(EXERCISES[0])  # a calf stretch
    exercise["picture"]["highlight"] = "neck"
    with pytest.raises(ValidationError) as error:
        exercise_schema.load(exercise)
    assert "picture" in error.value.messages


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e["slug"])
def test_the_marked_muscle_is_one_of_the_exercises_muscles(exercise):
    highlight = exercise["picture"]["highlight"]
    assert highlight in exercise["muscles"] or exercise["muscles"] == ["other"]


@pytest.mark.parametrize("slug,index,frame", FRAMES, ids=[f"{s}-{i}" for s, i, _ in FRAMES])
def test_every_segment_has_the_figures_length(slug, index, frame):
    points = pictures.place(frame)
    for start, end, length in SEGMENTS:
        side = start.split(".")[0]
        if frame.get("view", "side") != "side" and length in ("thigh", "shin") and (
                frame.get("seated") or frame[side].get("toward", 1) != 1):
            continue  # seen from the front, a leg pointing at the viewer is drawn shorter
        drawn = math.dist(points[start], points[end])
        assert drawn == pytest.approx(pictures.FIGURE[length], abs=1e-6), (start, end)
    for name, (low, high) in JOINT_RANGES.items():
        values = [frame[name]] if name in ("lean", "neck") else [frame[s][name] for s in ("near", "far")]
        assert all(low <= value <= high for value in values), name


@pytest.mark.parametrize("slug,index,frame", FRAMES, ids=[f"{s}-{i}" for s, i, _ in FRAMES])
def test_the_figure_stands_inside_its_frame_and_on_its_surface(slug, index, frame):
    points = pictures.place(frame)
    head_x, head_y = points["head"]
    radius = pictures.FIGURE["head"]
    assert 0 <= head_x - radius and head_x + radius <= pictures.PANEL
    assert 0 <= head_y - radius and head_y + radius <= pictures.FLOOR + 4.5  # nor sinks
    # No point sinks below the floor line (drawn a stroke's half width under FLOOR).
    assert all(0 <= x <= pictures.PANEL and 0 <= y <= pictures.FLOOR + 4 for x, y in points.values())
    # Something rests on the surface: nothing floats unless the frame lifts it (a hop).
    lowest = max([y for name, (x, y) in points.items() if name != "head"] + [head_y + radius])
    surface = pictures.SURFACES[frame.get("on", "floor")] - frame.get("lift", 0)
    assert lowest >= surface - (pictures.WIDTH["trunk"] - pictures.WIDTH["body"]) / 2 - 0.5


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e["slug"])
def test_the_svg_is_an_image_labelled_with_its_alternative(exercise):
    markup = pictures.svg(exercise["picture"])
    assert re.match(r"<svg viewBox='0 \d+ \d+ \d+' aria-label='", markup)
    label = re.search(r"aria-label='([^']*)'", markup).group(1).replace("&#39;", "'")
    assert label == exercise["picture"]["alt"]
    assert markup.count("class='m'") == len(exercise["picture"]["frames"]) * bool(
        exercise["picture"]["highlight"])
    # Colours come from the style sheet, so night mode can dim them.
    assert "stroke=" not in markup and "fill=" not in markup
