"""The load bench's exactly-once check, against the app's real push and pull."""

import uuid

from bench.exactly_once import Ledger, problems, read_back
from tests.sync_helpers import Device, cramp, put


def bench_device(client, auth):
    """Return a test Device and the bench's ledger for it."""
    device = Device(client, auth.register()[1])
    return device, Ledger(device.client_id, device.token)


def push(device, ledger, *mutations):
    """Push as the bench does: remember what is sent, then what the server acknowledged."""
    for mutation in mutations:
        ledger.send(mutation)
    response = device.push(*mutations)
    assert response.status_code == 200, response.get_json()
    answered = {item["id"]: item for item in response.get_json()["results"]}
    for mutation in mutations:
        ledger.answer(mutation, answered[mutation["id"]])
    return [answered[mutation["id"]]["status"] for mutation in mutations]


def poster(client):
    def post(path, body, token):
        response = client.post(f"/api/v1{path}", json=body,
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return post


def check(client, ledger, limit=500):
    return problems(ledger, *read_back(poster(client), ledger, limit=limit))


def test_a_retried_batch_read_back_in_pages_holds(client, auth):
    device, ledger = bench_device(client, auth)
    batch = [put(1), put(2, data={"kind": "hydration", "occurred_at": "2026-11-20T08:00:00-05:00",
                                  "volume_ml": 250, "drink": "tea"}), put(3)]
    assert push(device, ledger, *batch) == ["applied"] * 3
    assert push(device, ledger, *batch) == ["duplicate"] * 3   # the answer was lost: resent
    unheard = put(4)
    ledger.send(unheard)
    assert device.push(unheard).status_code == 200   # stored, but its answer never arrived
    assert check(client, ledger, limit=2) == []


def test_an_acknowledged_entry_missing_is_reported(client, auth):
    device, ledger = bench_device(client, auth)
    push(device, ledger, put(1))
    lost = put(2)
    ledger.send(lost)
    ledger.answer(lost, {"id": 2, "status": "applied", "version": 99})
    assert check(client, ledger) == [
        f"{ledger.client_id}: acknowledged entry {lost['key']} stored 0 times",
        f"{ledger.client_id}: server's last mutation id 1 outside acknowledged 2 .. sent 2"]


def test_an_entry_read_back_twice_is_reported(client, auth):
    device, ledger = bench_device(client, auth)
    push(device, ledger, put(1))
    changes, last = read_back(poster(client), ledger)
    assert problems(ledger, changes * 2, last) == [
        f"{ledger.client_id}: acknowledged entry {changes[0]['key']} stored 2 times"]


def test_an_entry_changed_or_made_elsewhere_is_reported(client, auth):
    device, ledger = bench_device(client, auth)
    mutation = put(1)
    push(device, ledger, mutation)
    other = Device(client, device.token)
    stranger = str(uuid.uuid4())
    assert other.push(put(1, key=mutation["key"], data=cramp(intensity=9), base=1),
                      put(2, key=stranger)).status_code == 200
    assert check(client, ledger) == [
        f"{ledger.client_id}: entry {mutation['key']} stored differently (intensity)",
        f"{ledger.client_id}: entry {stranger} stored but never sent"]
