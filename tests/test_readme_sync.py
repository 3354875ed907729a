"""The README's curl walk through sync cannot drift: each request runs here, in its order, and
must get the status and the answer the README shows."""

import json
import pathlib
import re
import shlex
from urllib.parse import urlsplit

README = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
TITLE = "### A first push and pull, with curl"
STEP = re.compile(r"```sh\n(?P<command>.*?)```\n+It answers `(?P<status>\d{3})`[^`]*?"
                  r"```json\n(?P<answer>.*?)```", re.S)
# What differs on every run: compared by type only.
VOLATILE = {"token", "created_at"}


def steps():
    """Return [(method, path, headers, body, status, answer)] from the README's walk."""
    section = README.split(TITLE, 1)[1].split("\n## ", 1)[0]
    return [(*curl(match["command"]), int(match["status"]), json.loads(match["answer"]))
            for match in STEP.finditer(section)]


def curl(command):
    """Read a curl command line into (method, path, headers, body)."""
    words = iter(shlex.split(command.replace("\\\n", " ")))
    assert next(words) == "curl"
    method, path, headers, body = None, None, {}, None
    for word in words:
        if word == "-H":
            name, value = next(words).split(":", 1)
            headers[name] = value.strip()
        elif word == "-d":
            body = next(words)
        elif word == "-X":
            method = next(words)
        elif not word.startswith("-"):
            path = urlsplit(word).path
    return method or ("POST" if body is not None else "GET"), path, headers, body


def assert_like(shown, got, where="answer"):
    """Assert that `got` has the README's shape, and its values where they do not vary."""
    assert type(got) is type(shown), (where, shown, got)
    if isinstance(shown, dict):
        assert set(got) == set(shown), (where, sorted(got))
        for key, value in shown.items():
            if key not in VOLATILE:
                assert_like(value, got[key], f"{where}.{key}")
            else:
                assert type(got[key]) is type(value), (f"{where}.{key}", got[key])
    elif isinstance(shown, list):
        assert len(got) == len(shown), (where, got)
        for index, (value, item) in enumerate(zip(shown, got)):
            assert_like(value, item, f"{where}[{index}]")
    else:
        assert got == shown, (where, shown, got)


def test_the_readme_walks_through_sign_in_push_pull_and_a_refusal():
    assert [(method, path) for method, path, *_ in steps()] == [
        ("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/sync/push"), ("POST", "/api/v1/sync/pull"),
        ("POST", "/api/v1/sync/push")]
    login = steps()[1][-1]
    assert f"`TOKEN={login['token']}`" in README


def test_the_readme_sync_example_runs_as_shown(client):
    token = None
    for method, path, headers, body, status, shown in steps():
        headers = {name: value.replace("$TOKEN", token or "") for name, value in headers.items()}
        response = client.open(path, method=method, headers=headers, data=body)
        assert response.status_code == status, (path, response.get_json())
        assert_like(shown, response.get_json(), f"{method} {path}")
        token = response.get_json().get("token", token)
    # As the README says, sending the push again changes nothing.
    method, path, headers, body, _, _ = steps()[2]
    again = client.open(path, method=method, data=body, headers={
        name: value.replace("$TOKEN", token) for name, value in headers.items()})
    assert [r["status"] for r in again.get_json()["results"]] == ["duplicate", "duplicate"]
