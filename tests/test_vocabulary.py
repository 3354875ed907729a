"""One vocabulary: every code the server speaks has one label, and the PWA shows that label."""

import pathlib
import re

import pytest
from click.testing import CliRunner
from marshmallow import fields, validate

from schemas import entries, settings, vocabulary
from schemas.content import AssessmentSchema
from server import cli

PWA_JS = pathlib.Path(__file__).parent.parent / "pwa" / "js"
GENERATED = PWA_JS / "labels.js"
ENUMS = {name: words for name, words in vocabulary.VOCABULARIES.items() if name != "INTENSITY"}


def words_of(words):
    return [word["label"] if isinstance(word, dict) else word for word in words.values()]


@pytest.mark.parametrize("name", ENUMS)
def test_every_code_has_one_label_of_its_own(name):
    words = words_of(ENUMS[name])
    assert all(isinstance(word, str) and word.strip() == word != "" for word in words)
    assert len({word.lower() for word in words}) == len(words), f"{name} repeats a label"


def test_every_level_has_its_advice():
    assert all(level["advice"].strip() for level in vocabulary.LEVELS.values())


def choices(field):
    field = field.inner if isinstance(field, fields.List) else field
    return next(tuple(v.choices) for v in field.validators if isinstance(v, validate.OneOf))


@pytest.mark.parametrize("schema, name, vocabulary_name", [
    (entries.ENTRY_SCHEMAS["cramp"], "muscle", "MUSCLES"),
    (entries.ENTRY_SCHEMAS["cramp"], "side", "SIDES"),
    (entries.ENTRY_SCHEMAS["cramp"], "context", "CONTEXTS"),
    (entries.ENTRY_SCHEMAS["cramp"], "triggers", "TRIGGERS"),
    (entries.ENTRY_SCHEMAS["cramp"], "reliefs", "RELIEFS"),
    (entries.ENTRY_SCHEMAS["cramp"], "red_flags", "RED_FLAGS"),
    (entries.ENTRY_SCHEMAS["hydration"], "drink", "DRINKS"),
    (settings.ProfileSchema(), "medicines", "MEDICINES"),
    (AssessmentSchema(), "level", "LEVELS"),
])
def test_every_code_the_api_accepts_has_a_label(schema, name, vocabulary_name):
    assert choices(schema.fields[name]) == tuple(ENUMS[vocabulary_name])


def test_the_intensity_words_cover_the_whole_scale():
    anchors = sorted(vocabulary.INTENSITY)
    assert anchors[0] == 0 and anchors[-1] == 10
    assert len(set(vocabulary.INTENSITY.values())) == len(anchors)
    assert [vocabulary.intensity_text(n) for n in (0, 3, 4, 9, 10)] == [
        "0 of 10, no pain", "3 of 10, mild", "4 of 10, moderate", "9 of 10, strong",
        "10 of 10, worst possible"]


def test_the_checked_in_labels_module_is_what_the_command_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "LABELS_JS", tmp_path / "labels.js")
    result = CliRunner().invoke(cli.main, ["labels"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "labels.js").read_text() == GENERATED.read_text(), (
        "pwa/js/labels.js is out of date: run `unknot labels`")
    assert CliRunner().invoke(cli.main, ["labels", "--check"]).exit_code == 0


def test_the_check_fails_on_a_stale_module(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "LABELS_JS", tmp_path / "labels.js")
    (tmp_path / "labels.js").write_text("export const MUSCLES = {};\n")
    result = CliRunner().invoke(cli.main, ["labels", "--check"])
    assert result.exit_code == 1 and "run `unknot labels`" in result.output


# A key of an object literal and what it maps to: a string or an object (folded to "@").
ENTRY = re.compile(r"""(?:^|[{,\s])['"]?(\w+)['"]?\s*:\s*(['"`@])""")
INNERMOST = re.compile(r"\{[^{}]*\}")
# A code compared, then a word chosen for it: `side === 'left' ? 'Left' : ...`.
CHOSEN = re.compile(r"""===\s*['"](\w+)['"]\s*\?\s*['"`]([^'"`]*)['"`]""")
STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`$]*)`""")


def pwa_sources():
    return [path for path in PWA_JS.rglob("*.js") if path != GENERATED]


def own_label_maps(source):
    """Yield (enum, codes) for each object literal that labels three or more codes of one enum."""
    while INNERMOST.search(source):
        for block in INNERMOST.findall(source):
            keys = {key for key, _ in ENTRY.findall(block)}
            for name, words in ENUMS.items():
                codes = keys & set(words)
                if len(codes) >= 3:
                    yield name, sorted(codes)
        source = INNERMOST.sub("@", source)


def test_no_pwa_module_labels_the_codes_itself():
    found = {path.relative_to(PWA_JS).as_posix(): list(own_label_maps(path.read_text()))
             for path in pwa_sources()}
    assert {path: maps for path, maps in found.items() if maps} == {}


def repeated_labels(source):
    """Return the string literals of a module that are a label of the generated module."""
    labels = {word.lower() for words in ENUMS.values() for word in words_of(words)
              if " " in word}  # a one-word label is often its own code ("calf": "Calf")
    words_for = {}
    for words in ENUMS.values():
        for code, word in zip(words, words_of(words)):
            words_for.setdefault(code, set()).add(word.lower())
    return sorted([text for groups in STRING.findall(source) for text in groups
                   if text.lower() in labels]
                  + [word for code, word in CHOSEN.findall(source)
                     if word.lower() in words_for.get(code, ())])


def test_no_pwa_module_repeats_a_label_of_the_generated_module():
    found = {path.relative_to(PWA_JS).as_posix(): repeated_labels(path.read_text())
             for path in pwa_sources()}
    assert {path: texts for path, texts in found.items() if texts} == {}


def test_the_scans_find_the_labels_a_module_would_write_by_hand():
    assert repeated_labels("chips('Signs', { a: 'Chest pain or tightness' });\n"
                           "const word = side === 'left' ? 'Left' : 'Right';") == [
        "Chest pain or tightness", "Left"]
    source = ("export const MUSCLES = { calf: 'Calf', foot: 'Foot', quadriceps: 'Quadriceps' };\n"
              "const LEVELS = { see_doctor: { label: 'See' }, urgent: { label: 'Go' },"
              " emergency: { label: 'Now' } };")
    assert list(own_label_maps(source)) == [
        ("MUSCLES", ["calf", "foot", "quadriceps"]),
        ("LEVELS", ["emergency", "see_doctor", "urgent"])]
