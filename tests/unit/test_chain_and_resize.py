"""The dependents of a snapshot (the tree below it, with depth), the chain view both ways, the size a resize
reads ("30G", "+5G"), and the CLI lines of resize and delete."""

from __future__ import annotations

import msgspec
import pytest

from sptui.api import models, rules
from sptui.api.errors import ValidationError
from sptui.state.actionlog import cli_delete, cli_resize
from sptui.state.chain import count_dependents, dependents, describe_dependents
from sptui.state.detail import ChainData, chain_rows
from sptui.state.detail.volume_extras import chain_note
from sptui.state.snapshot import ClusterState

GIB = 1 << 30


def snaps(*pairs: tuple[str, str]) -> list[models.SnapshotSummary]:
    return msgspec.convert([{"name": n, "parentName": p, "size": GIB} for n, p in pairs], list[models.SnapshotSummary])


def vols(*pairs: tuple[str, str]) -> list[models.VolumeSummary]:
    return msgspec.convert([{"name": n, "parentName": p, "size": GIB} for n, p in pairs], list[models.VolumeSummary])


SNAPSHOTS = snaps(("base", ""), ("b-daily", "base"), ("b-hourly", "b-daily"), ("other", ""), ("a-daily", "base"))
VOLUMES = vols(("vm-2", "b-hourly"), ("vm-1", "base"), ("vm-3", "b-daily"), ("elsewhere", "other"))


def test_dependents_walk_the_whole_tree_depth_first_with_depth() -> None:
    found = dependents("base", VOLUMES, SNAPSHOTS)
    assert [(d.name, d.kind, d.depth, d.parent) for d in found] == [
        ("a-daily", "snapshot", 1, "base"),
        ("b-daily", "snapshot", 1, "base"),
        ("b-hourly", "snapshot", 2, "b-daily"),
        ("vm-2", "volume", 3, "b-hourly"),
        ("vm-3", "volume", 2, "b-daily"),
        ("vm-1", "volume", 1, "base"),
    ]
    assert count_dependents(found) == "3 snapshots and 3 volumes, up to depth 3"
    assert describe_dependents(found, limit=2) == "3 snapshots and 3 volumes, up to depth 3: a-daily, b-daily, …"


def test_dependents_of_a_leaf_and_of_a_parent_loop() -> None:
    assert dependents("b-hourly", VOLUMES, SNAPSHOTS)[0].name == "vm-2"
    assert dependents("other", VOLUMES, SNAPSHOTS)[0].depth == 1
    assert dependents("vm-2", VOLUMES, SNAPSHOTS) == ()
    assert count_dependents(()) == "nothing"
    looped = snaps(("a", "b"), ("b", "a"))
    assert [d.name for d in dependents("a", [], looped)] == ["b"]  # walked once, not forever


def test_a_snapshots_chain_shows_its_ancestors_then_what_depends_on_it() -> None:
    own = SNAPSHOTS[1]  # b-daily
    data = ChainData((SNAPSHOTS[0], own), True, dependents("b-daily", VOLUMES, SNAPSHOTS))
    rows, _ = chain_rows(data, ClusterState(lambda: 0.0))
    assert [r["chain"] for r in rows.values()] == ["base", "└ b-daily", "  └ b-hourly", "    └ vm-2", "  └ vm-3"]
    assert [r["type"] for r in rows.values()] == ["snapshot", "snapshot", "snapshot", "volume", "volume"]
    assert chain_note(data) == "depending on it: 1 snapshot and 2 volumes, up to depth 2"
    assert chain_note(ChainData((own,), True)) == "depending on it: nothing"
    assert chain_note(ChainData((own,), False)) == ""


@pytest.mark.parametrize(
    ("text", "new", "add"),
    [
        ("30G", 30 * GIB, None),
        ("+5G", 25 * GIB, 5 * GIB),
        (" + 512M ", 20 * GIB + 512 * (1 << 20), 512 * (1 << 20)),
        ("10737418240", 10 * GIB, None),
        ("1.5T", 1536 * GIB, None),
    ],
)
def test_resize_reads_a_new_size_or_growth(text: str, new: int, add: int | None) -> None:
    assert rules.parse_resize(text, 20 * GIB) == (new, add)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-5G", "no shrink-by"),
        ("ten", "a size like 10G"),
        ("+", "a size like 10G"),
        ("0", "positive"),
        ("1000", "multiple of 512"),
        ("+1000", "multiple of 512"),
        (f"+{rules.MAX_SIZE}", "more than a cluster can hold"),  # fine alone, too big once added
    ],
)
def test_resize_refuses(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        rules.parse_resize(text, 20 * GIB)


def test_resize_rounds_up_only_when_asked() -> None:
    assert rules.parse_resize("+1000", 512, round_up=True) == (512 + 1024, 1024)


def test_cli_lines_of_resize_and_delete() -> None:
    assert cli_resize("vm-1", size=30 * GIB) == "storpool volume vm-1 size 30G"
    assert cli_resize("vm-1", size=10 * GIB, shrink_ok=True) == "storpool volume vm-1 size 10G shrinkOk"
    assert cli_resize("vm-1", size_add=5 * GIB) == "storpool volume vm-1 size +5G"
    assert cli_resize("#odd", size=1536 * GIB) == "storpool volume '#odd' size 1536G"
    with pytest.raises(ValueError):
        cli_resize("vm-1")
    assert cli_delete("volume", "vm-1") == "storpool volume vm-1 delete vm-1"
    assert cli_delete("snapshot", "*odd") == "storpool snapshot '*odd' delete '*odd'"
