"""A fast path for marshmallow schemas on the sync hot path.

`compile_schema(schema)` reads a schema's fields and validators once and writes a plain Python
function that takes plainly valid input and returns exactly what `schema.load` (or, with
`dump=True`, `schema.dump(schema.load(...))`) would, many times faster. Anything it is not
certain about (a wrong type, a failed check, an unknown key, a field or validator it does not
know) makes it return None, and the caller asks marshmallow itself, which also writes the error
messages. The schema stays the single definition of the shape; tests/test_fast_schemas.py checks
that both paths agree on generated input.
"""

import datetime
import functools
import re
import uuid

from marshmallow import RAISE, fields, missing, validate

from schemas.limits import UNSTORABLE, Storable, Text

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)\Z")


class _Unsupported(Exception):
    """The schema has a part the fast path does not mirror."""


class _Writer:
    """Collects the generated source and the constants it refers to."""

    def __init__(self, dump):
        self.dump = dump
        self.lines = []
        self.env = {"MISSING": missing, "ISO": ISO, "UNSTORABLE": UNSTORABLE, "datetime": datetime,
                    "uuid": uuid}

    def constant(self, value):
        name = f"K{len(self.env)}"
        self.env[name] = value
        return name

    def emit(self, indent, line):
        self.lines.append("    " * indent + line)


def _validators(writer, field, var, indent):
    for rule in field.validators:
        kind = type(rule)
        if kind is validate.OneOf:
            try:
                choices = frozenset(rule.choices)
            except TypeError:
                raise _Unsupported from None
            writer.emit(indent, f"if {var} not in {writer.constant(choices)}: return None")
        elif kind is validate.Range:
            if rule.min is not None:
                op = "<" if rule.min_inclusive else "<="
                writer.emit(indent, f"if {var} {op} {writer.constant(rule.min)}: return None")
            if rule.max is not None:
                op = ">" if rule.max_inclusive else ">="
                writer.emit(indent, f"if {var} {op} {writer.constant(rule.max)}: return None")
        elif kind is validate.Length:
            if rule.equal is not None:
                writer.emit(indent, f"if len({var}) != {rule.equal!r}: return None")
            if rule.min is not None:
                writer.emit(indent, f"if len({var}) < {rule.min!r}: return None")
            if rule.max is not None:
                writer.emit(indent, f"if len({var}) > {rule.max!r}: return None")
        elif kind is validate.Regexp:
            writer.emit(indent, f"if {writer.constant(rule.regex)}.match({var}) is None: return None")
        elif kind is Storable:
            writer.emit(indent, f"if UNSTORABLE.search({var}) is not None: return None")
        elif kind is validate.Equal:
            writer.emit(indent, f"if {var} != {writer.constant(rule.comparable)}: return None")
        else:
            raise _Unsupported


def _parse(writer, var, indent, parser, refuse):
    """Emit a guarded call of `parser` on `var`; return the name holding its result."""
    name = f"p{len(writer.lines)}"
    writer.emit(indent, f"if {refuse}: return None")
    writer.emit(indent, "try:")
    writer.emit(indent + 1, f"{name} = {parser}({var})")
    writer.emit(indent, "except ValueError:")
    writer.emit(indent + 1, "return None")
    return name


def _value(writer, field, var, indent, depth=0):
    """Emit checks of a non-None value in `var`; return the expression of its result."""
    if field.data_key is not None or field.attribute is not None:
        raise _Unsupported
    kind = type(field)
    if kind in (fields.String, Text):
        writer.emit(indent, f"if type({var}) is not str: return None")
        result = var
    elif kind is fields.Integer and field.strict:
        writer.emit(indent, f"if type({var}) is not int: return None")
        result = var
    elif kind is fields.Boolean:
        writer.emit(indent, f"if type({var}) is not bool: return None")
        result = var
    elif kind is fields.Raw and not field.validators:
        return var
    elif kind is fields.UUID and not field.validators:
        parsed = _parse(writer, var, indent, "uuid.UUID", f"type({var}) is not str")
        return f"str({parsed})" if writer.dump else parsed
    elif kind is fields.Dict and field.key_field is None and field.value_field is None:
        writer.emit(indent, f"if type({var}) is not dict: return None")
        result = f"dict({var})"
    elif kind is fields.AwareDateTime and field.format == "iso" and field.default_timezone is None:
        moment = _parse(writer, var, indent, "datetime.datetime.fromisoformat",
                        f"type({var}) is not str or ISO.match({var}) is None")
        _validators(writer, field, moment, indent)
        return f"{moment}.isoformat()" if writer.dump else moment
    elif kind is fields.List:
        out, item = f"out{depth}", f"x{depth}"
        writer.emit(indent, f"if type({var}) is not list: return None")
        _validators(writer, field, var, indent)
        writer.emit(indent, f"{out} = []")
        writer.emit(indent, f"for {item} in {var}:")
        writer.emit(indent + 1, f"if {item} is None:")
        writer.emit(indent + 2, f"{out}.append(None)" if field.inner.allow_none else "return None")
        writer.emit(indent + 2, "continue")
        expression = _value(writer, field.inner, item, indent + 1, depth + 1)
        writer.emit(indent + 1, f"{out}.append({expression})")
        return out
    else:
        raise _Unsupported
    _validators(writer, field, var, indent)
    return result


def _never_sure(data):
    return None


def compile_schema(schema, dump=False):
    """Return a fast loader for the schema (one that is never sure if it cannot mirror it)."""
    if schema.unknown != RAISE or any(schema._hooks.values()):
        return _never_sure
    writer = _Writer(dump)
    names = frozenset(name for name, field in schema.fields.items() if not field.dump_only)
    writer.emit(1, f"if type(data) is not dict or not {writer.constant(names)}.issuperset(data):")
    writer.emit(2, "return None")
    writer.emit(1, "result = {}")
    try:
        for index, (name, field) in enumerate(schema.fields.items()):
            if field.dump_only:
                continue
            var, hidden = f"v{index}", dump and field.load_only
            store = (lambda expression: "pass") if hidden else \
                (lambda expression, key=name: f"result[{key!r}] = {expression}")
            writer.emit(1, f"{var} = data.get({name!r}, MISSING)")
            writer.emit(1, f"if {var} is MISSING:")
            if field.required:
                writer.emit(2, "return None")
            elif field.load_default is missing:
                writer.emit(2, "pass")
            else:
                default = writer.constant(field.load_default)
                call = "()" if callable(field.load_default) else ""
                writer.emit(2, store(f"{default}{call}"))
            writer.emit(1, f"elif {var} is None:")
            writer.emit(2, store("None") if field.allow_none else "return None")
            writer.emit(1, "else:")
            writer.emit(2, store(_value(writer, field, var, 2)))
    except _Unsupported:
        return _never_sure
    writer.emit(1, "return result")
    source = "def load(data):\n" + "\n".join(writer.lines) + "\n"
    exec(compile(source, f"<fast {type(schema).__name__}>", "exec"), writer.env)  # noqa: S102
    return writer.env["load"]


@functools.cache
def fast_loader(schema):
    """Return the schema's compiled loader, compiled on first use."""
    return compile_schema(schema)
