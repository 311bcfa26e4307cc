"""The API's value rules: each accepts what the reference allows and names the field when it refuses."""

from __future__ import annotations

import pytest

from sptui.api import rules
from sptui.api.errors import ValidationError


@pytest.mark.parametrize("name", ["vol1", "#hidden", "a.b:c-d_e", "x" * 200])
def test_volume_names_accepted(name: str) -> None:
    assert rules.volume_name(name) == name


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "required"),
        ("bad name!", "must match"),
        ("list", "reserved"),
        ("status", "reserved"),
        ("x" * 201, "at most 200"),
        ("a@b", "must match"),
        ("*snap", "must match"),
    ],
)
def test_volume_names_refused(name: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        rules.volume_name(name, field="name")
    assert err.value.field == "name"
    assert fragment in str(err.value)


def test_snapshot_names_allow_at_and_star() -> None:
    assert rules.snapshot_name("*snap@1") == "*snap@1"
    with pytest.raises(ValidationError):
        rules.snapshot_name("#snap")


def test_group_and_template_names() -> None:
    assert rules.placement_group_name("hdd-1") == "hdd-1"
    assert rules.template_name("status") == "status"  # only "list" is reserved for templates
    for bad in ("list", "a.b", "x" * 129):
        with pytest.raises(ValidationError):
            rules.placement_group_name(bad)


@pytest.mark.parametrize("value", [512, 1 << 30])
def test_sizes_accepted(value: int) -> None:
    assert rules.size(value) == value


@pytest.mark.parametrize("value", [0, -512, 1000, 513, "1024", True, 1.5])
def test_sizes_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        rules.size(value)


def test_ids_and_ranges() -> None:
    assert rules.disk_id(0) == 0 and rules.disk_id(4095) == 4095
    assert rules.client_id(24575) == 24575
    assert rules.aoe_target_id(4095) == 4095
    for check, bad in (
        (rules.disk_id, 4096),
        (rules.disk_id, -1),
        (rules.client_id, 0),
        (rules.client_id, 24576),
        (rules.server_id, 32768),
        (rules.replication, 4),
        (rules.replication, 0),
    ):
        with pytest.raises(ValidationError):
            check(bad)


def test_limits() -> None:
    assert rules.limit("-", "bw") == "-"
    assert rules.limit(0, "iops") == 0
    for bad in (-1, "10", 2.5, None):
        with pytest.raises(ValidationError):
            rules.limit(bad, "bw")


def test_disk_description() -> None:
    assert rules.disk_description("rack 3 slot_4-a") == "rack 3 slot_4-a"
    assert rules.disk_description("") == ""
    for bad in ("x" * 31, "tab\there", "semi;colon"):
        with pytest.raises(ValidationError):
            rules.disk_description(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10G", 10 << 30),
        ("512M", 512 << 20),
        ("1.5T", 3 << 39),
        ("1024", 1024),
        ("4k", 4096),
        ("2GiB", 2 << 30),
        (" 1 G ", 1 << 30),
    ],
)
def test_parse_size(text: str, expected: int) -> None:
    assert rules.parse_size(text) == expected


def test_parse_size_refuses_or_rounds() -> None:
    with pytest.raises(ValidationError, match="multiple of 512"):
        rules.parse_size("1000")
    assert rules.parse_size("1000", round_up=True) == 1024
    assert rules.parse_size("0.3K", round_up=True) == 512
    for bad in ("", "ten", "10X", "-5G", "0"):
        with pytest.raises(ValidationError):
            rules.parse_size(bad)


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("30m", 1800), (" 2H ", 7200), ("1d", 86400)])
def test_maintenance_durations(text: str, seconds: int) -> None:
    assert rules.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "30 minutes", "1.5h", "8d", "-5m"])
def test_bad_maintenance_durations(text: str) -> None:
    with pytest.raises(ValidationError):
        rules.parse_duration(text)


def test_node_ids_and_maintenance_descriptions() -> None:
    assert rules.node_id(0) == 0 and rules.node_id(63) == 63
    for bad in (64, -1, True, "2"):
        with pytest.raises(ValidationError):
            rules.node_id(bad)
    assert rules.maintenance_description("kernel upgrade") == "kernel upgrade"
    for bad in ("two\nlines", "\x1b[31mred", "x" * 201, 5):
        with pytest.raises(ValidationError):
            rules.maintenance_description(bad)


def test_flag_takes_only_json_booleans() -> None:
    assert rules.flag(True, "force") is True
    for value in (1, 0, "true", None):
        with pytest.raises(ValidationError, match="true or false") as caught:
            rules.flag(value, "force")
        assert caught.value.field == "force"


def test_ids_check_every_id_and_refuse_what_is_not_a_list() -> None:
    disk_ids = rules.ids(rules.disk_id)
    assert disk_ids([1, 2], "addDisks") == [1, 2]
    assert disk_ids((d for d in (3,)), "addDisks") == [3]
    for value in ("12", {"1": 1}, 7, None):
        with pytest.raises(ValidationError, match="list of ids"):
            disk_ids(value, "addDisks")
    with pytest.raises(ValidationError) as caught:
        disk_ids([1, rules.MAX_DISK_ID + 1], "rmDisks")
    assert caught.value.field == "rmDisks"


def test_detach_is_all_or_client_ids() -> None:
    assert rules.detach("all") == "all"
    assert rules.detach([1, 2]) == [1, 2]
    with pytest.raises(ValidationError):
        rules.detach([rules.MAX_CLIENT_ID + 1])
    with pytest.raises(ValidationError, match="list of ids"):
        rules.detach("some")
