"""Capacity arithmetic against StorPool's own worked examples (kb capacity page, FAQ `template status`)."""

from __future__ import annotations

import msgspec
import pytest

from sptui.api.models import DiskSummary, PlacementGroup, TemplateStored, VolumeTemplateStatus
from sptui.state.capacity import (
    AG_BYTES,
    CAPACITY_RESOURCE,
    GIB,
    CapacityData,
    DiskSpace,
    capacity,
    capacity_of,
    copies_per_group,
    disk_space,
    group_space,
    placement_available,
    template_space,
)
from sptui.state.snapshot import ClusterState, Snapshot
from sptui.state.thresholds import Thresholds

TIB = 1024**4

# `storpool disk list` on the kb's "Cluster capacity" page: nine 3.5 TiB drives and their est.free (GiB).
KB_EST_FREE = {1001: 468, 1002: 486, 1003: 478, 1004: 462, 1005: 464, 1006: 483, 1007: 480, 1008: 466, 1009: 470}
KB_SERVER = {1001: 10, 1002: 10, 1003: 10, 1004: 11, 1005: 11, 1006: 11, 1007: 12, 1008: 12, 1009: 12}


def kb_spaces() -> dict[int, DiskSpace]:
    size = int(3.5 * TIB)
    return {d: DiskSpace(d, KB_SERVER[d], size, size - free * GIB, free * GIB) for d, free in KB_EST_FREE.items()}


def test_kb_placement_group_available_is_least_free_less_margin_times_drives() -> None:
    # 462 GiB on disk 1004 is the least; (462 - 10) GiB x 9 drives.
    assert placement_available(free * GIB for free in KB_EST_FREE.values()) == 4068 * GIB
    group = group_space("hdd", sorted(KB_EST_FREE), kb_spaces())
    assert (group.available, group.free, group.down) == (4068 * GIB, sum(KB_EST_FREE.values()) * GIB, ())
    assert group.total == 9 * int(3.5 * TIB)


def test_kb_template_on_one_group_divides_by_replication() -> None:
    # 15.02's answer without availablePlace*: the figures come from the disks; replication 3 on one group.
    groups = {"hdd": group_space("hdd", sorted(KB_EST_FREE), kb_spaces())}
    status = VolumeTemplateStatus(name="magnetic", place_all="hdd", place_tail="hdd", replication=3)
    tpl = template_space(status, groups)
    assert tpl.available == 4068 * GIB // 3 == 1356 * GIB
    assert tpl.capacity == 9 * int(3.5 * TIB) // 3


def test_kb_faq_template_status_row() -> None:
    # FAQ: hybrid, place hdd/hdd/ssd, 3 copies, avail. all 56 TB, avail. tail 9.2 TB -> avail. 9.2 TB:
    # hdd carries two copies (56 / 2 = 28), ssd the last one (9.2), the ssd bounds it. TB here is TiB.
    tail = int(9.2 * TIB)
    status = VolumeTemplateStatus(
        name="hybrid",
        place_all="hdd",
        place_tail="ssd",
        replication=3,
        volumes_count=2,
        size=8 * TIB,
        available_place_all=56 * TIB,
        available_place_tail=tail,
    )
    tpl = template_space(status, {})
    assert tpl.available == tail
    assert (tpl.volumes, tpl.size, tpl.replication) == (2, 8 * TIB, 3)
    placement = tpl.placement("all")
    assert placement is not None and (placement.api_available, placement.disk_available) == (56 * TIB, None)
    assert tpl.capacity is None  # the row gives no capacityPlace*: unknown, never invented


def test_hdd_bound_when_it_has_less_than_twice_the_ssd() -> None:
    # The FAQ's exception: the hard drives are the limit when their space is under twice the SSDs'.
    status = VolumeTemplateStatus(
        name="hybrid",
        place_all="hdd",
        place_tail="ssd",
        replication=3,
        available_place_all=10 * TIB,
        available_place_tail=9 * TIB,
        capacity_place_all=30 * TIB,
        capacity_place_tail=11 * TIB,
    )
    tpl = template_space(status, {})
    assert (tpl.available, tpl.capacity) == (5 * TIB, 11 * TIB)
    assert tpl.used_ratio == pytest.approx(1 - 5 / 11)


def test_kb_disk_json_through_allocation_groups() -> None:
    # Disk 1001 of the kb's `storpool -j disk list`: agCount 6934, agAllocated 5635, agFree 1299.
    disk = DiskSummary(id=1001, server_id=10, ag_count=6934, ag_allocated=5635, ag_free=1299)
    space = disk_space(disk)
    assert space is not None
    assert (space.total, space.used) == (6934 * AG_BYTES, 5635 * AG_BYTES)
    assert space.free == 1299 * AG_BYTES * 4096 // 4224
    assert space.used_ratio == pytest.approx(5635 / 6934)


def test_down_disk_has_no_space_and_objects_stand_in_without_allocation_groups() -> None:
    assert disk_space(DiskSummary(id=1, generation_left=7, ag_count=10)) is None
    space = disk_space(DiskSummary(id=2, sectors_count=2 * 1024**2, objects_count=100, objects_allocated=25))
    assert space is not None and (space.total, space.used, space.free) == (GIB, GIB // 4, 3 * GIB // 4)


@pytest.mark.parametrize(
    ("replication", "head", "all_", "tail", "expected"),
    [
        (3, "", "hdd", "ssd", {"ssd": 1, "hdd": 2}),
        (3, "", "ssd", "ssd", {"ssd": 3}),
        (3, "nvme", "hdd", "ssd", {"ssd": 1, "nvme": 1, "hdd": 1}),
        (2, "nvme", "hdd", "ssd", {"ssd": 1, "nvme": 1}),
        (1, "", "hdd", "ssd", {"ssd": 1}),
        (0, "", "hdd", "ssd", {}),
    ],
)
def test_copies_per_group(replication: int, head: str, all_: str, tail: str, expected: dict[str, int]) -> None:
    assert copies_per_group(replication, head, all_, tail) == expected


def test_thresholds_are_data() -> None:
    default = Thresholds()
    assert [default.level(r) for r in (0.79, 0.80, 0.899, 0.90, None)] == [None, "warn", "warn", "alarm", None]
    assert Thresholds(warn=0.5, alarm=0.6).level(0.55) == "warn"


def _up(disk_id: int, server: int, ag_count: int, ag_used: int) -> DiskSummary:
    return DiskSummary(
        id=disk_id, server_id=server, ag_count=ag_count, ag_allocated=ag_used, ag_free=ag_count - ag_used
    )


def test_report_worst_first_fullest_group_and_cluster_totals() -> None:
    disks = {
        101: _up(101, 1, 100, 95),
        102: _up(102, 1, 100, 85),
        201: _up(201, 2, 100, 10),
        202: DiskSummary(id=202, server_id=2, generation_left=12),  # down: counts nowhere
        301: _up(301, 3, 100, 50),
    }
    groups = {
        "hot": PlacementGroup(name="hot", disks=[101, 102]),
        "cold": PlacementGroup(name="cold", servers=[2]),  # 15.02 may name servers: every disk on them
        "mid": PlacementGroup(name="mid", disks=[301]),
    }
    templates = [
        VolumeTemplateStatus(name="t-cold", place_all="cold", place_tail="cold", replication=1),
        VolumeTemplateStatus(name="t-hot", place_all="hot", place_tail="hot", replication=2),
    ]
    report = capacity(disks, groups, templates)
    assert [g.name for g in report.groups] == ["hot", "mid", "cold"]
    hot, _, cold = report.groups
    assert (hot.level, hot.used_ratio, hot.fullest_disk) == ("alarm", 0.9, 101)  # 180 of 200 groups
    assert (cold.disks, cold.down, cold.total) == ((201, 202), (202,), 100 * AG_BYTES)
    assert report.fullest is hot
    assert (report.used, report.total) == (240 * AG_BYTES, 400 * AG_BYTES)
    assert [t.name for t in report.templates] == ["t-hot", "t-cold"]
    # Disk 101 has 5 groups (2.4 GiB) free, under the 10 GiB margin: "hot" can take nothing more.
    assert (report.templates[0].available, report.templates[0].level) == (0, "alarm")
    assert report.templates[1].available == 90 * AG_BYTES * 4096 // 4224 - 10 * GIB


def test_template_without_replication_or_unknown_group_has_no_figures() -> None:
    status = VolumeTemplateStatus(name="any", place_all="gone", place_tail="gone", replication="-")
    tpl = template_space(status, {})
    assert (tpl.replication, tpl.available, tpl.capacity, tpl.level) == (None, None, None, None)


def test_19_01_stored_is_shown_and_the_derived_figure_kept_beside_it() -> None:
    status = VolumeTemplateStatus(
        name="r3",
        place_all="ssd",
        place_head="ssd",
        place_tail="ssd",
        replication=3,
        available_place_all=30 * GIB,
        available_place_head=30 * GIB,
        available_place_tail=30 * GIB,
        capacity_place_all=300 * GIB,
        capacity_place_head=300 * GIB,
        capacity_place_tail=300 * GIB,
        stored=TemplateStored(capacity=100 * GIB, free=9 * GIB),
    )
    tpl = template_space(status, {}, Thresholds())
    assert (tpl.available, tpl.capacity) == (9 * GIB, 100 * GIB)
    assert (tpl.derived_available, tpl.derived_capacity) == (10 * GIB, 100 * GIB)
    assert tpl.level == "alarm"  # 91 % used


def _state_with(disks: dict[int, DiskSummary], data: CapacityData) -> ClusterState:
    state = ClusterState(lambda: 0.0)
    state.store(Snapshot("disks", disks, {}, {}, 0.0, 0.0))
    state.store(Snapshot(CAPACITY_RESOURCE, data, {}, {}, 0.0, 0.0))
    return state


def test_the_report_is_reused_while_the_disks_space_is_unchanged_and_redone_when_it_moves() -> None:
    """19.01's DisksList changes on every poll (scrubbing); the report is made again only when a figure it reads
    changed, and then it has the new figures."""
    data = CapacityData(
        {"ssd": PlacementGroup(name="ssd", disks=[1, 2])},
        (VolumeTemplateStatus(name="r2", place_all="ssd", place_tail="ssd", replication=2),),
    )
    disks = {1: _up(1, 1, 100, 40), 2: _up(2, 2, 100, 50)}
    state = _state_with(disks, data)
    first = capacity_of(state)
    assert first is not None and first.used == 90 * AG_BYTES
    scrubbing = {d: msgspec.structs.replace(disk, scrubbed_bytes=7 << 30) for d, disk in disks.items()}
    state.store(Snapshot("disks", scrubbing, {}, {}, 1.0, 0.0))
    assert capacity_of(state) is first
    fuller = {**scrubbing, 2: msgspec.structs.replace(_up(2, 2, 100, 60), scrubbed_bytes=7 << 30)}
    state.store(Snapshot("disks", fuller, {}, {}, 2.0, 0.0))
    again = capacity_of(state)
    assert again is not first and again is not None
    assert again == capacity(fuller, data.groups, data.templates)
    assert again.used == 100 * AG_BYTES
    ejecting = {**fuller, 1: msgspec.structs.replace(fuller[1], soft_eject="ejecting")}
    state.store(Snapshot("disks", ejecting, {}, {}, 3.0, 0.0))
    assert capacity_of(state) == capacity(ejecting, data.groups, data.templates) != again
    assert capacity_of(state, Thresholds(warn=0.1, alarm=0.2)) == capacity(
        ejecting, data.groups, data.templates, Thresholds(warn=0.1, alarm=0.2)
    )
