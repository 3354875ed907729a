"""The README cannot drift: every setting, route family and command is documented."""

import pathlib
import re

from server import config
from server.cli import main

README = (pathlib.Path(__file__).parent.parent / "README.md").read_text()


def test_every_setting_is_documented():
    missing = [name for name in config.DEFAULTS if f"`UNKNOT_{name}`" not in README]
    assert missing == []


def test_every_api_route_is_documented(app):
    text = re.sub(r"<[^>]+>", "<>", README)
    routes = {re.sub(r"<[^>]+>", "<>", rule.rule).removeprefix("/api/v1")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    missing = sorted(r for r in routes - {"/", "/swagger.json", "/docs"}
                     if not re.search(re.escape(r) + r"[`,\s]", text))
    assert missing == []


def test_every_command_is_documented():
    def walk(group, prefix):
        for name, command in group.commands.items():
            yield f"{prefix} {name}"
            if hasattr(command, "commands"):
                yield from walk(command, f"{prefix} {name}")
    missing = [c for c in walk(main, "unknot") if f"`{c}" not in README]
    assert missing == []
