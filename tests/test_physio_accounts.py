"""Who may be a physiotherapist here: anyone may open such an account, patients are told
whether the operator verified it, and the operator verifies with `unknot user verify`."""

from click.testing import CliRunner

from server.cli import main
from tests.care_helpers import clinic  # noqa: F401 (fixture)


def verify(database_url, *args):
    result = CliRunner().invoke(main, ["user", "verify", *args],
                                env={"UNKNOT_DATABASE_URL": database_url})
    return result.exit_code, result.output


def shown(clinic, physio, patient):
    """What the patient is told about the physio: in the preview, and once linked."""
    preview = patient.post("/care/invites/preview", {"code": clinic.invite(physio)}).get_json()
    linked = clinic.link(physio, patient)
    return preview["physio"]["verified"], linked["physio"]["verified"]


def test_a_physio_registered_through_the_api_is_shown_as_not_verified(clinic):
    physio, patient = clinic.physio("Dr Rivera"), clinic.person("Maria")
    assert physio.get("/me").get_json()["verified"] is False
    assert shown(clinic, physio, patient) == (False, False)
    [link] = patient.get("/care/links").get_json()
    assert link["physio"]["verified"] is False


def test_the_operator_verifies_a_physio_and_can_take_it_back(clinic, database_url):
    physio, patient = clinic.physio("Dr Rivera"), clinic.person("Maria")
    code, output = verify(database_url, physio.user["email"].upper())
    assert code == 0 and "is verified" in output
    assert physio.get("/me").get_json()["verified"] is True
    assert shown(clinic, physio, patient) == (True, True)

    code, output = verify(database_url, physio.user["email"], "--undo")
    assert code == 0 and "no longer verified" in output
    [link] = patient.get("/care/links").get_json()
    assert link["physio"]["verified"] is False


def test_only_a_physio_account_can_be_verified(clinic, database_url):
    member = clinic.person("Maria")
    code, output = verify(database_url, member.user["email"])
    assert code != 0 and "not a physiotherapist account" in output
    code, output = verify(database_url, "nobody@example.org")
    assert code != 0 and "No account with email" in output
    assert member.get("/me").get_json()["verified"] is False


def test_a_physio_the_operator_creates_is_verified(client, database_url):
    result = CliRunner().invoke(
        main, ["user", "create", "lee@example.org", "--name", "Lee", "--role", "physio",
               "--password", "correct horse battery"], env={"UNKNOT_DATABASE_URL": database_url})
    assert result.exit_code == 0 and "verified" in result.output, result.output
    login = client.post("/api/v1/auth/login", json={"email": "lee@example.org",
                                                     "password": "correct horse battery"})
    assert login.status_code == 200 and login.get_json()["user"]["verified"] is True
