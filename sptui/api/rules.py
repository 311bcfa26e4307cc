"""The API's value rules (the named types of the 15.02 reference), in one place.

The client checks arguments with them before sending, the forms validate as the user types,
and the simulator refuses bad requests with them. Each check returns the value (normalised)
or raises ValidationError naming the field and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import ROUND_CEILING, Decimal
from typing import Any

from .errors import ValidationError

SECTOR_SIZE = 512
VOLUME_NAME_SIZE = 200
PLACEMENT_GROUP_NAME_SIZE = 128
MAX_CHAIN_LENGTH = 6
MAX_DISK_ID = 4095
MAX_SERVER_ID = 0x8000 - 1
MAX_CLIENT_ID = 0xE000 - 0x8000 - 1
MAX_AOE_TARGET_ID = 0xF000 - 0xE000 - 1
MAX_MGMT_ID = 0xFFFF - 0xF000
MAX_ATTACHMENT_POS = 1023
MAX_CLUSTER_DISKS = MAX_DISK_ID + 1
# The API documents no upper bound for a size; this is more than a cluster could ever hold (its 4096 disks of
# 64 TiB each: 256 PiB), so a typo such as 999999999T (953 EiB) is refused before anything is sent.
MAX_SIZE = MAX_CLUSTER_DISKS * (64 << 40)
# Bandwidth (MB/s) and IOPS limits: anything above 2**53 is beyond any device, and keeps every value exact.
MAX_LIMIT = (1 << 53) - 1
MAX_NODE_ID = 63  # NodeID in 19.01
# MaintenanceSet: a week is longer than any planned reboot; a longer "maintenance" is a forgotten one.
MAX_MAINTENANCE_SECONDS = 7 * 24 * 3600
MAINTENANCE_DESC_SIZE = 200

VOLUME_NAME_RE = re.compile(r"^\#?[A-Za-z0-9_\-.:]+$")
SNAPSHOT_NAME_RE = re.compile(r"^\*?[A-Za-z0-9_\-.:@]+$")
PLACEMENT_GROUP_NAME_RE = re.compile(r"^[A-Za-z0-9_\-]+$")
TEMPLATE_NAME_RE = re.compile(r"^[A-Za-z0-9_\-]+$")
DISK_DESC_RE = re.compile(r"^[A-Za-z0-9_\- ]{0,30}$")
# VolumeTagName / VolumeTagValue (19.01): the reference names the types without their pattern; these are the
# characters of a volume name, so a tag shows and pastes into a `storpool` line as typed. An empty value
# removes the tag, as the CLI's `tag name=` does.
TAG_NAME_RE = re.compile(r"^[A-Za-z0-9_\-.:]+$")
TAG_VALUE_RE = re.compile(r"^[A-Za-z0-9_\-.:]*$")
TAG_SIZE = 64
MAX_TAGS = 64

RESERVED_VOLUME_NAMES = frozenset({"list", "status"})
RESERVED_GROUP_NAMES = frozenset({"list"})

BALANCER_COMMANDS = ("start", "stop", "commit", "auto")
ATTACHMENT_RIGHTS = ("rw", "ro")


def _name(field: str, value: Any, pattern: re.Pattern[str], size: int, reserved: frozenset[str], what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(field, f"a {what} is required")
    if len(value) > size:
        raise ValidationError(field, f"a {what} is at most {size} characters (this one has {len(value)})")
    if value in reserved:
        raise ValidationError(field, f"{value!r} is reserved and cannot be a {what}")
    if not pattern.match(value):
        raise ValidationError(field, f"a {what} must match {pattern.pattern}")
    return value


def volume_name(value: Any, field: str = "name") -> str:
    """VolumeName: letters, digits, _ - . : (an optional leading #), up to 200, not list/status."""
    return _name(field, value, VOLUME_NAME_RE, VOLUME_NAME_SIZE, RESERVED_VOLUME_NAMES, "volume name")


def snapshot_name(value: Any, field: str = "name") -> str:
    """SnapshotName: as a volume name plus @ (an optional leading *), up to 200, not list/status."""
    return _name(field, value, SNAPSHOT_NAME_RE, VOLUME_NAME_SIZE, RESERVED_VOLUME_NAMES, "snapshot name")


def placement_group_name(value: Any, field: str = "placementGroup") -> str:
    """PlacementGroupName: letters, digits, _ -, up to 128, not list."""
    return _name(
        field,
        value,
        PLACEMENT_GROUP_NAME_RE,
        PLACEMENT_GROUP_NAME_SIZE,
        RESERVED_GROUP_NAMES,
        "placement group name",
    )


def template_name(value: Any, field: str = "template") -> str:
    """VolumeTemplateName: letters, digits, _ -, up to 200, not list."""
    return _name(field, value, TEMPLATE_NAME_RE, VOLUME_NAME_SIZE, RESERVED_GROUP_NAMES, "template name")


def _int(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"must be an integer, not {type(value).__name__}")
    return value


def int_range(value: Any, field: str, low: int, high: int) -> int:
    """An integer id or count within [low, high]."""
    value = _int(field, value)
    if not low <= value <= high:
        raise ValidationError(field, f"must be between {low} and {high} (got {value})")
    return value


def disk_id(value: Any, field: str = "diskId") -> int:
    return int_range(value, field, 0, MAX_DISK_ID)


def server_id(value: Any, field: str = "serverId") -> int:
    return int_range(value, field, 1, MAX_SERVER_ID)


def client_id(value: Any, field: str = "clientId") -> int:
    return int_range(value, field, 1, MAX_CLIENT_ID)


def aoe_target_id(value: Any, field: str = "aoeTargetId") -> int:
    return int_range(value, field, 1, MAX_AOE_TARGET_ID)


def node_id(value: Any, field: str = "nodeId") -> int:
    return int_range(value, field, 0, MAX_NODE_ID)


def maintenance_duration(value: Any, field: str = "duration") -> int:
    """MaintenanceSet's duration, in seconds: after it the maintenance expires (shown as overrun)."""
    return int_range(value, field, 1, MAX_MAINTENANCE_SECONDS)


def maintenance_description(value: Any, field: str = "description") -> str:
    """Free text the API stores as a string; printable and one line, so it shows in tables and logs as typed."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be a string")
    if len(value) > MAINTENANCE_DESC_SIZE or not value.isprintable():
        raise ValidationError(field, f"up to {MAINTENANCE_DESC_SIZE} printable characters on one line")
    return value


_DURATION_RE = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$", re.IGNORECASE)
_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, field: str = "duration") -> int:
    """ "90", "30m", "2h", "1d" -> seconds, checked as a maintenance duration."""
    match = _DURATION_RE.match(text)
    if not match:
        raise ValidationError(field, "a number of seconds, or minutes, hours or days: 90, 30m, 2h, 1d")
    return maintenance_duration(int(match[1]) * _DURATION_UNITS[match[2].lower()], field)


def replication(value: Any, field: str = "replication") -> int:
    return int_range(value, field, 1, 3)


def size(value: Any, field: str = "size") -> int:
    """Size / SizeAdd: a positive number of bytes divisible by 512."""
    value = _int(field, value)
    if value <= 0:
        raise ValidationError(field, f"must be a positive number of bytes (got {value})")
    if value > MAX_SIZE:
        raise ValidationError(field, f"must be at most {MAX_SIZE >> 50} PiB, more than a cluster can hold")
    if value % SECTOR_SIZE:
        raise ValidationError(field, f"must be a multiple of {SECTOR_SIZE} bytes (got {value})")
    return value


def limit(value: Any, field: str) -> int | str:
    """Bandwidth / IOPS: a non-negative integer, or '-' for unlimited."""
    if value == "-":
        return value
    value = _int(field, value)
    if value < 0:
        raise ValidationError(field, f"must be a non-negative integer or '-' for unlimited (got {value})")
    if value > MAX_LIMIT:
        raise ValidationError(field, f"must be at most {MAX_LIMIT}, or '-' for unlimited")
    return value


def disk_description(value: Any, field: str = "description") -> str:
    """DiskDescription: up to 30 of letters, digits, _ - and space."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be a string")
    if not DISK_DESC_RE.match(value):
        raise ValidationError(field, "up to 30 letters, digits, '_', '-' or spaces")
    return value


def tag_name(value: Any, field: str = "tags") -> str:
    if not isinstance(value, str) or not TAG_NAME_RE.match(value) or len(value) > TAG_SIZE:
        raise ValidationError(field, f"a tag name is 1 to {TAG_SIZE} of letters, digits, '_', '-', '.' or ':'")
    return value


def tag_value(value: Any, field: str = "tags") -> str:
    if not isinstance(value, str) or not TAG_VALUE_RE.match(value) or len(value) > TAG_SIZE:
        raise ValidationError(field, f"a tag value is up to {TAG_SIZE} of letters, digits, '_', '-', '.' or ':'")
    return value


def tags(value: Any, field: str = "tags") -> dict[str, str]:
    """VolumeUpdate's `tags` (19.01): {name: value}; an empty value removes that tag."""
    if not isinstance(value, dict):
        raise ValidationError(field, "must be an object of tag names to values")
    if len(value) > MAX_TAGS:
        raise ValidationError(field, f"at most {MAX_TAGS} tags")
    return {tag_name(k, field): tag_value(v, field) for k, v in value.items()}


def parse_tags(text: str, field: str = "tags") -> dict[str, str]:
    """Tags as typed: `name=value` pairs separated by spaces or commas (`name=` for an empty value)."""
    out: dict[str, str] = {}
    for word in text.replace(",", " ").split():
        name, eq, value = word.partition("=")
        if not eq:
            raise ValidationError(field, f"each tag is name=value (got {word[:30]!r})")
        if name in out:
            raise ValidationError(field, f"tag {name[:30]!r} is given twice")
        out[tag_name(name, field)] = tag_value(value, field)
    return tags(out, field)


def flag(value: Any, field: str) -> bool:
    """A JSON boolean: 0 and 1 are not, whatever Python thinks."""
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be true or false, not {type(value).__name__}")
    return value


def ids(rule: Callable[[Any, str], int]) -> Callable[[Any, str], list[int]]:
    """The check of a list of ids, each checked with `rule`; an error names the list's field ("rmDisks")."""

    def check(values: Any, field: str) -> list[int]:
        if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
            raise ValidationError(field, "must be a list of ids")
        return [rule(value, field) for value in values]

    return check


def detach(value: Any, field: str = "detach") -> list[int] | str:
    """VolumesReassign's `detach`: "all", or a list of client ids."""
    return "all" if value == "all" else ids(client_id)(value, field)


def one_of(value: Any, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValidationError(field, f"must be one of {', '.join(choices)} (got {value!r})")
    return value


_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}
# ASCII digits only (re.ASCII): Python's \d also takes Arabic-Indic and other digits, which no operator means.
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGTP]?)(?:I?B)?\s*$", re.IGNORECASE | re.ASCII)
# Longer numbers are refused before any conversion (Python's int-string limit is 4300 digits).
_MAX_DIGITS = 40


def parse_size(text: str, field: str = "size", round_up: bool = False) -> int:
    """Read a size as StorPool's CLI does: bytes or binary units (10G = 10 GiB, 1.5T, 512M).

    A size that is not a whole multiple of 512 bytes is refused, or rounded up to the next
    sector when `round_up` is set; the forms say which happened.
    """
    match = _SIZE_RE.match(text or "")
    if not match:
        raise ValidationError(field, "a size like 10G, 512M, 1.5T or a number of bytes")
    number, unit = match.groups()
    if len(number) > _MAX_DIGITS:
        raise ValidationError(field, f"must be at most {MAX_SIZE >> 50} PiB, more than a cluster can hold")
    exact = Decimal(number) * _UNITS[unit.upper()]
    sectors = exact / SECTOR_SIZE
    if sectors != sectors.to_integral_value():
        if not round_up:
            raise ValidationError(field, f"must be a multiple of {SECTOR_SIZE} bytes (got {exact.normalize():f})")
        sectors = sectors.to_integral_value(rounding=ROUND_CEILING)
    return size(int(sectors) * SECTOR_SIZE, field)


def parse_resize(text: str, current: int, field: str = "size", round_up: bool = False) -> tuple[int, int | None]:
    """A volume's new size as typed: "30G" (the new size) or "+5G" (grow by: VolumeUpdate's sizeAdd).

    Returns the new size and the growth to send as sizeAdd (None: send the size). Each amount follows
    `parse_size`; the result is checked as a Size too, so growing past the largest size is refused here.
    """
    stripped = (text or "").strip()
    if stripped.startswith("+"):
        add = parse_size(stripped[1:], field, round_up)
        return size(current + add, field), add
    if stripped.startswith("-"):
        raise ValidationError(field, "give the new size to shrink to (the API has no shrink-by)")
    return parse_size(stripped, field, round_up), None


def parse_limit(text: str, field: str) -> int | str:
    """A bandwidth or IOPS limit as typed: ASCII digits, or '-' for unlimited (then `limit`)."""
    text = text.strip()
    if text == "-":
        return text
    digits = text.removeprefix("-")  # a negative number is read, so `limit` can say why it is refused
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(field, f"a whole number, or - for unlimited (got {text[:20]!r})")
    if len(text) > _MAX_DIGITS:
        raise ValidationError(field, f"must be at most {MAX_LIMIT}, or '-' for unlimited")
    return limit(int(text), field)
