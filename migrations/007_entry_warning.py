"""Keep two fields of a cramp beside its JSON: its intensity, and the level of its warning
signs (the assessment's level, or "see_doctor" for signs the person ticked that no assessment
judged; NULL for none). A physio's patient list counts both for every patient in one
statement, where reading them out of the JSON cost a parse per row.

Existing rows are filled in SQL with the rule server/attention.flag_level applies.
"""

from peewee import CharField, SmallIntegerField


def migrate(migrator, database, fake=False, **kwargs):
    from peewee import PostgresqlDatabase

    migrator.add_fields("entry", intensity=SmallIntegerField(null=True),
                        warning=CharField(max_length=16, null=True))
    if isinstance(database, PostgresqlDatabase):
        intensity = "(data->>'intensity')::numeric::smallint"
        level = "assessment->>'level'"
        ticked = "json_typeof(data->'red_flags') = 'array' AND json_array_length(data->'red_flags') > 0"
        assessed = "assessment IS NOT NULL AND assessment::text NOT IN ('{}', 'null')"
    else:
        intensity = "CAST(json_extract(data, '$.intensity') AS INTEGER)"
        level = "json_extract(assessment, '$.level')"
        ticked = ("json_type(data, '$.red_flags') = 'array' "
                  "AND json_array_length(data, '$.red_flags') > 0")
        assessed = "assessment IS NOT NULL AND assessment NOT IN ('{}', 'null')"
    name = f"REPLACE(REPLACE(LOWER(TRIM({level})), '-', '_'), ' ', '_')"
    migrator.sql(
        f"UPDATE entry SET intensity = {intensity}, warning = CASE "
        f"WHEN {assessed} THEN CASE WHEN {level} IS NULL THEN NULL "
        f"WHEN {name} IN ('self_care', 'selfcare') THEN NULL "
        f"WHEN {name} IN ('urgent', 'emergency') THEN {name} ELSE 'see_doctor' END "
        f"WHEN {ticked} THEN 'see_doctor' END "
        f"WHERE kind = 'cramp' AND NOT deleted")


def rollback(migrator, database, fake=False, **kwargs):
    migrator.remove_fields("entry", "intensity", "warning")
