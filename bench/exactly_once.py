"""Check that every mutation a server acknowledged is stored exactly once, as it was sent.

A device keeps a `Ledger` of what it sent and what the server answered `applied` or
`duplicate` for. After the run, `read_back` pulls the person's whole diary through the API with
the device's own client id, and `problems` lists every way the two disagree. It imports neither
Flask nor locust, so the load bench and the test suite share it.
"""

from dataclasses import dataclass, field
from datetime import datetime

ACKNOWLEDGED = {"applied", "duplicate"}


@dataclass
class Ledger:
    """What one device sent and what the server acknowledged."""

    client_id: str
    token: str
    sent: dict = field(default_factory=dict)    # key -> (mutation id, data)
    acked: set = field(default_factory=set)     # keys answered applied or duplicate
    last_acked_id: int = 0

    def send(self, mutation):
        """Remember a put before it goes out."""
        self.sent[mutation["key"]] = (mutation["id"], mutation["data"])

    def answer(self, mutation, result):
        """Record the server's result for a mutation it answered; return True when acknowledged."""
        if result["status"] not in ACKNOWLEDGED:
            return False
        self.acked.add(mutation["key"])
        self.last_acked_id = max(self.last_acked_id, mutation["id"])
        return True


def read_back(post, ledger, limit=500):
    """Pull every change the person can see from cursor 0; return (changes, last_mutation_id).

    `post(path, body, token)` sends one JSON request under /api/v1 and returns the parsed body.
    """
    changes, cursor = [], 0
    while True:
        page = post("/sync/pull", {"client_id": ledger.client_id, "cursor": cursor,
                                   "limit": limit}, ledger.token)
        changes.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, page["last_mutation_id"]


def _same(name, sent, stored):
    """Compare one field; times by the instant they name, whatever the offset's spelling."""
    if name == "occurred_at" and isinstance(stored, str):
        return datetime.fromisoformat(sent) == datetime.fromisoformat(stored)
    return sent == stored


def problems(ledger, changes, last_mutation_id):
    """Return a sentence for each way the stored diary breaks exactly-once; empty when none."""
    found = []
    entries = [change for change in changes if change["entity"] == "entry"]
    counts = {}
    for change in entries:
        counts[change["key"]] = counts.get(change["key"], 0) + 1
    stored = {change["key"]: change for change in entries}
    for key in sorted(ledger.acked):
        if counts.get(key, 0) != 1:
            found.append(f"{ledger.client_id}: acknowledged entry {key} stored "
                         f"{counts.get(key, 0)} times")
            continue
        data = stored[key]["data"] or {}
        wrong = [name for name, value in ledger.sent[key][1].items()
                 if not _same(name, value, data.get(name))]
        if stored[key]["deleted"] or wrong:
            found.append(f"{ledger.client_id}: entry {key} stored differently "
                         f"({', '.join(wrong) or 'deleted'})")
    for key in sorted(set(counts) - set(ledger.sent)):
        found.append(f"{ledger.client_id}: entry {key} stored but never sent")
    for key in sorted(key for key in set(counts) - ledger.acked if counts[key] > 1):
        found.append(f"{ledger.client_id}: unacknowledged entry {key} stored {counts[key]} times")
    highest_sent = max((mutation_id for mutation_id, _ in ledger.sent.values()), default=0)
    if not ledger.last_acked_id <= last_mutation_id <= highest_sent:
        found.append(f"{ledger.client_id}: server's last mutation id {last_mutation_id} outside "
                     f"acknowledged {ledger.last_acked_id} .. sent {highest_sent}")
    return found
