"""Numbers a database cannot hold, and text it refuses: every integer in a path or a query, and
every word in a path with a NUL in it, answers 404 or 422 in the envelope, never 500, on every
route the app has."""

import re

import pytest
from werkzeug.routing.converters import NumberConverter, UnicodeConverter

from tests.care_helpers import API, clinic, cramp  # noqa: F401 (a fixture)

BIGINT_MAX = 2**63 - 1
HUGE = (2**63, 2**64, 99999999999999999999, 99999999999999999999999)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def numbered_routes(app):
    """Yield (rule, method, int argument names) for every route with an integer in its path."""
    for rule in app.url_map.iter_rules():
        ints = {name for name, converter in rule._converters.items()
                if isinstance(converter, NumberConverter)}
        for method in sorted(rule.methods & set(METHODS)) if ints else ():
            yield rule, method, ints


def url(rule, ints, number):
    """Fill a rule: `number` for each integer argument, a plausible key for the others."""
    def fill(match):
        return str(number) if match.group(2) in ints else "00000000-0000-4000-8000-000000000000"
    return re.sub(r"<(?:([^:>]+):)?([^>]+)>", fill, rule.rule)


@pytest.fixture
def callers(clinic):
    """A physio and a consenting member with a diary: the right role for every route."""
    physio, member = clinic.physio(), clinic.person("Maria")
    member.log(cramp(1))
    clinic.link(physio, member)
    return physio, member


def send(person, method, path):
    return person.client.open(path, method=method, headers=person.headers,
                              json={} if method in ("POST", "PUT", "PATCH") else None)


def assert_not_found(response, where):
    assert response.status_code == 404, (where, response.get_data(as_text=True)[:300])
    body = response.get_json()
    assert body["error"] == "Not Found" and body["message"], where


def test_the_walk_finds_every_numbered_route(app):
    paths = {rule.rule.removeprefix(API) for rule, _, _ in numbered_routes(app)}
    assert "/care/links/<int:link_id>" in paths
    assert "/push/subscriptions/<int:subscription_id>" in paths
    assert len([p for p in paths if p.startswith("/care/patients/")]) >= 11


def test_an_id_no_database_can_hold_answers_404_on_every_route(app, callers):
    for rule, method, ints in numbered_routes(app):
        for number in HUGE:
            for person in callers:
                assert_not_found(send(person, method, url(rule, ints, number)),
                                 (method, rule.rule, number, person.user["role"]))


@pytest.mark.parametrize("number", [0, BIGINT_MAX])
def test_an_id_nothing_has_answers_404_on_every_route(app, callers, number):
    for rule, method, ints in numbered_routes(app):
        answers = [send(person, method, url(rule, ints, number)) for person in callers]
        # One of the two has the route's role; the other may be refused for its role first.
        assert {a.status_code for a in answers} <= {403, 404}, (method, rule.rule)
        assert_not_found(next(a for a in answers if a.status_code == 404),
                         (method, rule.rule, number))


def test_a_negative_id_matches_no_route(app, callers):
    for rule, method, ints in numbered_routes(app):
        for person in callers:
            assert_not_found(send(person, method, url(rule, ints, -1)), (method, rule.rule))


@pytest.mark.parametrize("key", ["a%00b", "x" * 37, "not-a-key", "%ED%A0%80"])
@pytest.mark.parametrize("what", ["comments", "assignments"])
def test_a_key_no_comment_or_assignment_can_have_answers_404(callers, what, key):
    physio, member = callers
    assert_not_found(physio.delete(f"/care/patients/{member.id}/{what}/{key}"), (what, key))


@pytest.mark.parametrize("name", ["page", "per_page"])
@pytest.mark.parametrize("value", [str(2**63), "99999999999999999999999", "0", "-1"])
def test_a_query_number_out_of_range_answers_422_naming_it(callers, name, value):
    physio, member = callers
    response = physio.get(f"/care/patients/{member.id}/entries", **{name: value})
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert list(response.get_json()["fields"]) == [name]


def worded_routes(app):
    """Yield (rule, method, word argument names) for every API route with a word in its path."""
    for rule in app.url_map.iter_rules():
        words = {name for name, converter in rule._converters.items()
                 if isinstance(converter, UnicodeConverter)}
        for method in sorted(rule.methods & set(METHODS)) if words and rule.rule.startswith(API) else ():
            yield rule, method, words


def test_a_word_with_a_nul_in_a_path_matches_no_route(app, callers):
    routes = list(worded_routes(app))
    assert {rule.rule.removeprefix(API) for rule, _, _ in routes} >= {
        "/content/routines/<string:slug>", "/content/programmes/<string:slug>/handout"}
    for rule, method, words in routes:
        path = re.sub(r"<(?:([^:>]+):)?([^>]+)>",
                      lambda match: "a%00b" if match.group(2) in words else "1", rule.rule)
        for person in callers:
            assert_not_found(send(person, method, path), (method, rule.rule))


def test_the_last_page_a_database_could_number_is_empty_not_an_error(callers):
    physio, member = callers
    response = physio.get(f"/care/patients/{member.id}/entries", page=str(BIGINT_MAX))
    assert response.status_code == 200
    assert response.get_json()["items"] == [] and response.get_json()["page"] == BIGINT_MAX
