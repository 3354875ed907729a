"""A programme without a physiotherapist: a person starts one alone; it syncs to their
devices, is scheduled and counted like an assigned one, and a physio shared with later sees it."""

import datetime

from tests.care_helpers import clinic, seeded_catalogue, session  # noqa: F401 (fixtures)

PROGRAMME = "calf-cramp-8-weeks"


def start(person, **body):
    return person.post("/me/programmes", {"programme": PROGRAMME, **body})


def test_a_person_starts_a_programme_alone_and_their_other_device_gets_it(clinic, seeded_catalogue):
    person = clinic.person("Maria")
    response = start(person)
    assert response.status_code == 201, response.get_json()
    started = response.get_json()
    assert started["self_started"] is True and started["kind"] == "programme"
    assert started["start_date"] == datetime.date.today().isoformat()
    assert started["author"]["display_name"] == "Maria"
    assert len(started["plan"]) > 1  # one item per phase, dated from the start
    pulled = [c for c in person.device().pull_all() if c["entity"] == "assignment"]
    assert [(c["key"], c["data"]["self_started"]) for c in pulled] == [(started["key"], True)]


def test_starting_another_replaces_the_first_and_stopping_ends_it(clinic, seeded_catalogue):
    person = clinic.person("Maria")
    device = person.device()
    first = start(person).get_json()
    second = start(person, programme="night-cramp-gentle-6-weeks").get_json()
    live = {c["key"]: c["deleted"] for c in device.pull_all() if c["entity"] == "assignment"}
    assert live == {first["key"]: True, second["key"]: False}
    assert person.delete(f"/me/programmes/{second['key']}").status_code == 204
    assert [c["deleted"] for c in device.pull_all() if c["entity"] == "assignment"] == [True]
    assert person.delete(f"/me/programmes/{second['key']}").status_code == 404


def test_a_physio_shared_with_later_sees_it_and_its_adherence(clinic, seeded_catalogue):
    person, physio = clinic.person("Maria"), clinic.physio()
    three_weeks_ago = (datetime.date.today() - datetime.timedelta(days=21)).isoformat()
    started = start(person, start_date=three_weeks_ago).get_json()
    clinic.link(physio, person)
    assigned = physio.get(f"/care/patients/{person.id}/assignments").get_json()
    assert [(a["key"], a["self_started"]) for a in assigned] == [(started["key"], True)]
    [card] = physio.get("/care/patients").get_json()
    adherence = [r["text"] for r in card["reasons"] if r["code"] == "low_adherence"]
    assert adherence and adherence[0].startswith("Low adherence to Recurrent calf cramps: 8 weeks: 0 of")


def test_a_physio_cannot_start_one_and_a_physios_assignment_is_not_the_persons_to_stop(
        clinic, seeded_catalogue):
    person, physio = clinic.person("Maria"), clinic.physio()
    assert start(physio).status_code == 403
    clinic.link(physio, person)
    set_by_physio = physio.post(f"/care/patients/{person.id}/assignments", {
        "programme": PROGRAMME, "start_date": datetime.date.today().isoformat()}).get_json()
    assert person.delete(f"/me/programmes/{set_by_physio['key']}").status_code == 404
    # Starting one's own leaves the physio's in place.
    start(person)
    assigned = physio.get(f"/care/patients/{person.id}/assignments").get_json()
    assert sorted(a["self_started"] for a in assigned) == [False, True]


def test_an_unknown_programme_or_a_bad_date_is_refused(clinic, seeded_catalogue):
    person = clinic.person("Maria")
    assert start(person, programme="no-such-plan").status_code == 422
    assert start(person, start_date="3000-01-01").status_code == 422
    assert start(person, programme="Not A Slug").status_code == 422


def test_the_calendars_ends_are_stored_alike_on_both_databases(clinic, seeded_catalogue):
    person = clinic.person("Maria")
    for day in ("1900-01-01", "2999-12-31"):
        response = start(person, start_date=day)
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["start_date"] == day
    assert start(person, start_date="2999-12-32").status_code == 422
