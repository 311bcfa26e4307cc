"""AllPeersActiveRequests read for its old requests only: what Problems needs while the Requests pane is hidden.

A large cluster lists ~31,000 requests in 9 MB, its bytes different at every poll (the ages move). Decoded whole,
that is ~30 ms of decoding and ~20 ms more turning entries into rows' data, every 12 s, for a pane nobody looks at;
Problems reads only the requests older than a threshold. Here a first pass decodes each entry's age and status
alone (msgspec skips the other fields without making a string of them); only when some entry is kept does a second
pass cut the list into raw entries, and only the kept ones are decoded in full.
"""

from __future__ import annotations

import msgspec

from .models import AllPeersActiveRequests, PeerActiveRequest


class _Age(msgspec.Struct, rename="camel", frozen=True, gc=False):
    status: str = ""
    usec_active: int = 0


class Ages(msgspec.Struct, frozen=True, gc=False):
    requests: list[_Age] = []


class _RawEntries(msgspec.Struct, frozen=True, gc=False):
    requests: list[msgspec.Raw] = []


class _RawEnvelope(msgspec.Struct, frozen=True, gc=False):
    data: _RawEntries | None = None


_raw_decoder = msgspec.json.Decoder(_RawEnvelope)
_entry_decoder = msgspec.json.Decoder(PeerActiveRequest)


def kept(ages: Ages, older_than_us: int) -> list[int]:
    """The indices of the entries kept: requests at least `older_than_us` old, and every entry that is no request
    (a peer's or a disk's status: few, and they say which peers did not answer)."""
    return [
        index
        for index, entry in enumerate(ages.requests)
        if entry.usec_active >= older_than_us or entry.status != "request"
    ]


def entries(answer: bytes | bytearray, indices: list[int]) -> AllPeersActiveRequests:
    """The full entries at `indices` of an answer whose first pass decoded (so this one does too)."""
    if not indices:
        return AllPeersActiveRequests(requests=[])
    envelope = _raw_decoder.decode(answer)
    raw = envelope.data.requests if envelope.data is not None else []
    return AllPeersActiveRequests(requests=[_entry_decoder.decode(raw[index]) for index in indices])
