"""What the API's POST calls accept: each call's body fields and path arguments, checked with sptui.api.rules.

A purely declarative table (BODIES, ARGS) and the few checks it is made of. A refused value is an
invalidParam error naming the field, as StorPool answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from ..api import rules
from ..api.errors import ValidationError
from .model import SimError, invalid

Validator = Callable[[Any, str], Any]

_decode = msgspec.json.Decoder().decode


# The same checks the client applies before sending (api/rules.py): one definition of each.
_flag = rules.flag
_ids = rules.ids
_detach = rules.detach


def _limit(value: Any, field: str) -> int | str:
    return rules.limit(value, field)


def _command(value: Any, field: str) -> str:
    return rules.one_of(value, field, rules.BALANCER_COMMANDS)


def _size_add(value: Any, field: str) -> int:
    return rules.size(value, field)


POLICY: dict[str, Validator] = {
    "placeAll": rules.placement_group_name,
    "placeTail": rules.placement_group_name,
    "replication": rules.replication,
    "bw": _limit,
    "iops": _limit,
}


@dataclass(frozen=True)
class Body:
    """A JSON object body: its fields, which are required; null counts as absent (the bindings send nulls)."""

    fields: dict[str, Validator]
    required: frozenset[str] = frozenset()

    def check(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise invalid("the request body must be a JSON object")
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise invalid(f"unknown field {unknown[0]!r}; expected some of {', '.join(sorted(self.fields))}")
        out: dict[str, Any] = {}
        for name, check in self.fields.items():
            value = data.get(name)
            if value is None:
                if name in self.required:
                    raise invalid(f"{name}: is required")
                continue
            try:
                out[name] = check(value, name)
            except ValidationError as e:
                raise invalid(str(e)) from None
        return out


REASSIGN_VOLUME = Body(
    {
        "volume": rules.volume_name,
        "detach": _detach,
        "ro": _ids(rules.client_id),
        "rw": _ids(rules.client_id),
        "force": _flag,
    },
    frozenset({"volume"}),
)
REASSIGN_SNAPSHOT = Body(
    {"snapshot": rules.snapshot_name, "detach": _detach, "ro": _ids(rules.client_id), "force": _flag},
    frozenset({"snapshot"}),
)


def _reassign_items(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        raise invalid("the request body must be a JSON list of reassignments")
    items = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or ("volume" in item) == ("snapshot" in item):
            raise invalid(f"item {i}: must be an object with either a volume or a snapshot")
        if "snapshot" in item and item.get("rw") is not None:
            raise invalid(f"item {i}: a snapshot can only be attached read-only (rw is not allowed)")
        spec = REASSIGN_SNAPSHOT if "snapshot" in item else REASSIGN_VOLUME
        items.append(spec.check({k: v for k, v in item.items() if not (k == "rw" and v is None)}))
    return items


BODIES: dict[str, Body] = {
    "DiskSetDescription": Body({"description": rules.disk_description}, frozenset({"description"})),
    "VolumeCreate": Body(
        {
            "name": rules.volume_name,
            "size": rules.size,
            "parent": rules.snapshot_name,
            "template": rules.template_name,
            "baseOn": rules.volume_name,
            **POLICY,
        },
        frozenset({"name"}),
    ),
    "VolumeUpdate": Body(
        {
            "rename": rules.volume_name,
            "size": rules.size,
            "sizeAdd": _size_add,
            "template": rules.template_name,
            "shrinkOk": _flag,
            **POLICY,
        }
    ),
    "VolumeRebase": Body({"parentName": rules.snapshot_name}),
    "SnapshotRebase": Body({"parentName": rules.snapshot_name}),
    "VolumeAbandonDisk": Body({"diskId": rules.disk_id}, frozenset({"diskId"})),
    "VolumeSnapshot": Body({"name": rules.volume_name, "bind": _flag}),
    "SnapshotUpdate": Body({"rename": rules.volume_name, "bind": _flag, **POLICY}),
    "PlacementGroupUpdate": Body(
        {
            "rename": rules.placement_group_name,
            "addServers": _ids(rules.server_id),
            "addDisks": _ids(rules.disk_id),
            "rmServers": _ids(rules.server_id),
            "rmDisks": _ids(rules.disk_id),
        }
    ),
    "VolumeTemplateCreate": Body(
        {"name": rules.template_name, "parent": rules.snapshot_name, "size": rules.size, **POLICY},
        frozenset({"name"}),
    ),
    "VolumeTemplateUpdate": Body(
        {
            "rename": rules.template_name,
            "parent": rules.snapshot_name,
            "size": rules.size,
            "propagate": _flag,
            **POLICY,
        }
    ),
    "VolumeBalancerStatus": Body({"cmd": _command}, frozenset({"cmd"})),
    "MaintenanceSet": Body(
        {
            "nodeId": rules.node_id,
            "duration": rules.maintenance_duration,
            "description": rules.maintenance_description,
            "maxNodesInMaintenance": rules.node_id,
            "maxReplicationDecrease": rules.replication,
            "minOkReplicas": rules.replication,
            "votingSafetyMargin": rules.node_id,
        },
        frozenset({"nodeId", "duration", "description"}),
    ),
    "MaintenanceComplete": Body({"nodeId": rules.node_id}, frozenset({"nodeId"})),
}


# 19.01's VolumeUpdate adds the first copy's placement group and tags; a 15.02 cluster refuses them as unknown.
BODIES_19_01: dict[str, Body] = {
    "VolumeUpdate": Body(
        {**BODIES["VolumeUpdate"].fields, "placeHead": rules.placement_group_name, "tags": rules.tags}
    ),
}
RELEASE_BODIES: dict[str, dict[str, Body]] = {"15.02": BODIES, "19.01": {**BODIES, **BODIES_19_01}}


def _int_arg(rule: Callable[[Any, str], int]) -> Callable[[str, str], int]:
    def parse(text: str, field: str) -> int:
        if not text.isdigit():
            raise ValidationError(field, f"must be an integer (got {text!r})")
        return rule(int(text), field)

    return parse


def _any_name(text: str, field: str) -> str:
    try:
        return rules.volume_name(text, field)
    except ValidationError:
        return rules.snapshot_name(text, field)


ARGS: dict[str, Callable[[str, str], Any]] = {
    "serverId": _int_arg(rules.server_id),
    "diskId": _int_arg(rules.disk_id),
    "clientId": _int_arg(rules.client_id),
    "aoeTargetId": _int_arg(rules.aoe_target_id),
    "volumeName": rules.volume_name,
    "snapshotName": rules.snapshot_name,
    "name": _any_name,
    "placementGroupName": rules.placement_group_name,
    "templateName": rules.template_name,
}


def decode_json(body: bytes, empty: Any) -> Any:
    """The body as JSON (`empty` for a blank one), or invalidJson."""
    try:
        return _decode(body) if body.strip() else empty
    except msgspec.DecodeError as e:
        raise SimError("invalidJson", f"the request body is not valid JSON: {e}", 400) from None


def request_body(name: str, body: bytes, release: str = "15.02") -> Any:
    """The checked body of POST `name` in `release`: a dict of its fields, or the list of VolumesReassign's items."""
    if name == "VolumesReassign":
        return _reassign_items(decode_json(body, None))
    spec = RELEASE_BODIES[release].get(name)
    if spec is None:
        return {}
    return spec.check(decode_json(body, {}))


def json_object(body: bytes) -> dict[str, Any]:
    """A /sim/ request's body: a JSON object (empty when blank)."""
    data = decode_json(body, {})
    if not isinstance(data, dict):
        raise invalid("the request body must be a JSON object")
    return data
