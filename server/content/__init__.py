"""The content catalogue, kept as JSON files beside this module, and its loader.

Files: exercises.json, routines.json, programmes.json (the catalogue), pages.json (short pages
of guidance, served as they are) and redflags.json (the rules server/redflags.py evaluates). Each is a JSON list validated by its schema in
schemas/content.py; the loader also checks that every reference between files resolves.
"""

import hashlib
import json
from pathlib import Path

from marshmallow import ValidationError

from schemas.content import (exercise_schema, page_schema, programme_schema, red_flag_rule_schema,
                             routine_schema)
from server.timeline import effective_dose

CONTENT_DIR = Path(__file__).parent
SCHEMAS = {
    "exercises": exercise_schema,
    "routines": routine_schema,
    "programmes": programme_schema,
    "pages": page_schema,
    "redflags": red_flag_rule_schema,
}


def read_file(name, directory=None):
    """Read and validate one catalogue file; return its items in file order."""
    path = Path(directory or CONTENT_DIR) / f"{name}.json"
    key = "slug" if name != "redflags" else "id"
    try:
        items = SCHEMAS[name].load(json.loads(path.read_text(encoding="utf-8")), many=True)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from error
    seen = [item[key] for item in items]
    duplicates = sorted({value for value in seen if seen.count(value) > 1})
    if duplicates:
        raise ValidationError({name: [f"Duplicate {key}: {', '.join(duplicates)}."]})
    return items


def index(items):
    """Return the items keyed by slug."""
    return {item["slug"]: item for item in items}


def check_references(catalogue):
    """Fail unless every routine's exercises and every programme's routines exist."""
    exercises, routines = index(catalogue["exercises"]), index(catalogue["routines"])
    errors = {}
    for routine in catalogue["routines"]:
        for item in routine["items"]:
            exercise = exercises.get(item["exercise"])
            if exercise is None:
                errors.setdefault(routine["slug"], []).append(f"Unknown exercise {item['exercise']}.")
                continue
            try:
                effective_dose(exercise, item["dose"])
            except ValidationError as error:
                errors.setdefault(routine["slug"], []).append({item["exercise"]: error.messages})
    for programme in catalogue["programmes"]:
        for phase in programme["phases"]:
            if phase["routine"] not in routines:
                errors.setdefault(programme["slug"], []).append(f"Unknown routine {phase['routine']}.")
    if errors:
        raise ValidationError(errors)


def load_catalogue(directory=None):
    """Read, validate and cross-check every catalogue file; return lists by file name."""
    catalogue = {name: read_file(name, directory) for name in SCHEMAS}
    check_references(catalogue)
    return catalogue


def content_hash(data):
    """Return a stable hash of JSON-able data, for ETags and for noticing changes."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
