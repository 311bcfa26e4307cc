"""What a soft-eject would move and what could go wrong: a pure function of the API's models."""

from __future__ import annotations

from sptui.api.models import DiskInfo, DiskSummary, DiskVolumeInfo, PlacementGroup, VolumeSummary
from sptui.state.eject import eject_impact, impact_lines
from sptui.state.format import short_list


def _disks() -> dict[int, DiskSummary]:
    return {
        11: DiskSummary(id=11, server_id=1),
        21: DiskSummary(id=21, server_id=2, soft_eject="paused"),
        31: DiskSummary(id=31, server_id=3),
        41: DiskSummary(id=41, server_id=4, generation_left=7),
    }


def _info() -> DiskInfo:
    return DiskInfo(
        id=11,
        server_id=1,
        volume_infos={
            "small": DiskVolumeInfo(name="small", objects_count=2, on_disk_size=100, stored_size=90),
            "big": DiskVolumeInfo(name="big", objects_count=5, on_disk_size=500, stored_size=400),
        },
    )


GROUPS = {"hdd": PlacementGroup(name="hdd", disks=[11, 21, 31]), "ssd": PlacementGroup(name="ssd", servers=[4])}


def test_eject_impact_counts_and_warns_from_the_api_models():
    """A disk on server 1 with two volumes; its group has disks on servers 1-3, one of them paused."""
    policies = {
        "big": VolumeSummary(name="big", replication=2, place_all="hdd"),
        "small": VolumeSummary(name="small", replication=3, place_all="hdd", place_tail="ssd"),
    }
    impact = eject_impact(11, _info(), _disks(), GROUPS, policies)
    assert (impact.objects, impact.on_disk, impact.stored) == (7, 600, 490)
    assert [name for name, _, _ in impact.volumes] == ["big", "small"]
    assert impact.warnings[0] == "disk 21 (server 2) of placement group hdd is already soft-ejecting (paused)"
    # hdd keeps one usable server (3): "big" needs 2; "small" needs 2 in hdd plus its tail on down ssd.
    assert "replication 2 in hdd needs 2 servers, only 1 would have usable disks: 1 volume (big)" in impact.warnings[1]
    assert (
        "replication 3 in hdd+ssd needs 3 servers, only 1 would have usable disks: 1 volume (small)"
        in impact.warnings[2]
    )
    assert len(impact.warnings) == 3
    assert impact.holds_data


def test_down_neighbours_are_named_together_and_enough_servers_warn_nothing():
    disks = {d: DiskSummary(id=d, server_id=d // 10) for d in (11, 21, 31, 41, 51)}
    disks[21] = DiskSummary(id=21, server_id=2, generation_left=7)
    disks[31] = DiskSummary(id=31, server_id=3, generation_left=9)
    groups = {"hdd": PlacementGroup(name="hdd", servers=[1, 2, 3, 4, 5])}
    policies = {"big": VolumeSummary(name="big", replication=2, place_all="hdd")}
    impact = eject_impact(11, _info(), disks, groups, policies)
    # Servers 4 and 5 still have usable disks: two copies fit, so only the down disks are worth a warning.
    assert impact.warnings == ("disks 21, 31 of placement group hdd are down",)


def test_a_disk_without_volume_infos_counts_what_it_has_allocated():
    info = DiskInfo(id=11, server_id=1, objects_allocated=3, objects_on_disk_size=4096)
    impact = eject_impact(11, info, _disks(), GROUPS, {})
    assert (impact.objects, impact.on_disk, impact.volumes) == (3, 4096, ())
    assert impact.holds_data


def test_impact_lines_say_what_moves_largest_first():
    impact = eject_impact(11, _info(), _disks(), GROUPS, {})
    lines = impact_lines(impact)
    assert lines[0].startswith("Disk 11 (server 1) stops taking new data")
    assert lines[1] == "  7 objects, 600 B on disk (490 B stored), of 2 volumes and snapshots."
    assert lines[2] == "  Data there (largest first): big 500 B, small 100 B"


def test_an_empty_disk_moves_nothing():
    impact = eject_impact(11, DiskInfo(id=11, server_id=1), _disks(), GROUPS, {})
    assert not impact.holds_data
    assert impact_lines(impact) == ["Disk 11 (server 1) holds no data: nothing will move."]


def test_short_list_counts_what_it_leaves_out():
    assert short_list(["a", "b"]) == "a, b"
    assert short_list(map(str, range(9)), 3) == "0, 1, 2 and 6 more"
    assert short_list([]) == ""
