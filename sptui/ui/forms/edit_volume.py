"""Change a volume's template, replication and placement (placeHead where the release has it) and its tags.

One VolumeUpdate per submit, carrying only what the operator changed. The fields open on the volume's
settings now; a new template supplies whatever is not changed by hand, as the cluster applies it. A change
of replication or placement moves data, so it is confirmed with roughly how much: the volume's size times
the copies that are written anew, what it actually holds, and what the relocator still has to move for it
from before (VolumeRelocatorVolumeDisks). Tags are 19.01's; on 15.02 the form says the release has none.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from ...api import rules
from ...api.client import SpClient
from ...api.errors import ApiError
from ...api.models import DiskTarget, VolumeStatus, VolumeSummary, VolumeTemplate
from ...state import format as fmt
from ...state.actionlog import cli_volume_update
from ...state.follow import Watch
from ...state.resources import release_19_or_newer
from .base import ActionForm, Check, Mutation, Outbox, option_value
from .confirm import Confirmation
from .create_volume import _choices, _set, _template_note

POLICY_FIELDS = ("replication", "place_all", "place_tail", "place_head")
LABELS = {"replication": "replication", "place_all": "placeAll", "place_tail": "placeTail", "place_head": "placeHead"}


OBJECT_SIZE = 32 << 20  # StorPool stores a volume in objects of 32 MiB


@dataclass(frozen=True)
class EditData:
    volume: VolumeSummary
    groups: tuple[str, ...]
    templates: dict[str, VolumeTemplate]
    relocating: dict[int, DiskTarget]
    stored: int | None  # bytes the volume holds now, where the dashboard's status has it
    newer: bool  # the cluster speaks 19.01 or newer: placeHead and tags


@dataclass(frozen=True)
class Change:
    """What the update does to the volume's policy: old and new value per setting, and where the new one is from."""

    settings: dict[str, tuple[Any, Any, str]] = field(default_factory=dict)  # name: (now, after, "typed"/template)

    def after(self, name: str, now: Any) -> Any:
        return self.settings[name][1] if name in self.settings else now


@dataclass(frozen=True)
class Movement:
    """Roughly what a change of replication or placement moves: copies relocated, added and dropped."""

    moved: int
    added: int
    dropped: int

    @property
    def written(self) -> int:
        return self.moved + self.added


def movement(volume: VolumeSummary, change: Change) -> Movement:
    """Copies per object that go to new disks (a group that now holds them changed), are added, or dropped."""
    old = volume.replication
    new = change.after("replication", old)
    common = min(old, new)
    moved = 0
    if "place_tail" in change.settings:
        moved += 1
    head = "place_head" in change.settings and common > 1
    moved += 1 if head else 0
    if "place_all" in change.settings:
        moved += max(0, common - 1 - (1 if head else 0))
    return Movement(moved, max(0, new - old), max(0, old - new))


def _relocating(targets: dict[int, DiskTarget]) -> tuple[int, int]:
    """(objects, bytes) the relocator still has to write for the volume, from its per-disk estimates."""
    objects = sum(t.objects_allocated.to_recover for t in targets.values() if t.objects_allocated)
    data = sum(t.stored_size.to_recover for t in targets.values() if t.stored_size)
    return objects, data


class EditVolumeForm(ActionForm):
    """`u` on a volume: one VolumeUpdate with what changed."""

    DEFAULT_CSS = "EditVolumeForm #edit-changes { color: $text; margin-top: 1; }"

    def __init__(self, outbox: Outbox, name: str) -> None:
        super().__init__(outbox, f"Change volume {name}", "Apply", loads=True)
        self.volume_name = name
        self.data: EditData | None = None
        self.change = Change()
        self.rows: dict[str, Widget] = {}

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="edit-now", classes="text", markup=False)
        yield from self.field_row("template", "Template", Select([], prompt="keep", compact=True))
        yield from self.field_row(
            "replication", "Replication", Select([(str(n), n) for n in (1, 2, 3)], prompt="keep", compact=True)
        )
        for name in ("place_all", "place_tail", "place_head"):
            row = self.field_row(name, LABELS[name], Select([], prompt="keep", compact=True))
            self.rows[name] = row[0]
            yield from row
        row = self.field_row("tags", "Tags", Input(placeholder="name=value … (name= removes one)", compact=True))
        self.rows["tags"] = row[0]
        yield from row
        yield Static("", id="edit-release", classes="form-hint", markup=False)
        yield Static("", id="edit-changes", classes="text", markup=False)

    async def fetch(self) -> EditData:
        client: SpClient = self.sptui.client
        name = self.volume_name
        listed, groups, templates, relocating = await asyncio.gather(
            client.volume_list(name),
            client.placement_groups_list(),
            client.volume_templates_list(),
            client.volume_relocator_volume_disks(name),
        )
        volume = next((v for v in listed if v.name == name), None)
        if volume is None:
            raise ApiError("Volume", 404, "objectNotFound", f"volume {name} is not listed")
        polled = self.sptui.state.get("volumes")
        status = polled.data.get(name) if polled is not None and isinstance(polled.data, dict) else None
        stored = status.stored_size if isinstance(status, VolumeStatus) else None
        newer = release_19_or_newer(self.sptui.state) or bool(volume.place_head)
        return EditData(volume, tuple(sorted(groups)), {t.name: t for t in templates}, relocating, stored, newer)

    def populate(self, data: EditData) -> None:
        self.data = data
        v = data.volume
        template = f"template {v.template_name}" if v.template_name else "no template"
        head = f", placeHead {v.place_head}" if v.place_head else ""
        self.query_one("#edit-now", Static).update(
            fmt.inert(
                f"Now: {fmt.size_bytes(v.size)}, replication {v.replication}, placeAll {v.place_all}, "
                f"placeTail {v.place_tail}{head}, {template}."
            )
        )
        groups = _choices(data.groups)
        self._select("template").set_options(_choices(sorted(data.templates)))
        for name in ("place_all", "place_tail", "place_head"):
            self._select(name).set_options(groups)
        for name, now in (
            ("template", v.template_name),
            ("replication", v.replication),
            ("place_all", v.place_all),
            ("place_tail", v.place_tail),
            ("place_head", v.place_head),
        ):
            if now in (data.templates if name == "template" else data.groups) or name == "replication":
                self._select(name).value = now
        self.query_one("#field-tags", Input).value = " ".join(f"{k}={val}" for k, val in sorted(v.tags.items()))
        self.rows["place_head"].display = data.newer
        self.rows["tags"].display = data.newer
        if not data.newer:
            self.query_one("#edit-release", Static).update(
                "This cluster's API (15.02) has no placeHead and no volume tags: 19.01 added them."
            )
        self._select("template").focus()

    def _select(self, name: str) -> Select[Any]:
        return self.query_one(f"#field-{name}", Select)

    # ---------------------------------------------------------------- validation

    def build(self, check: Check) -> Mutation | None:
        data = self.data
        if data is None:
            return None
        v = data.volume
        settings: dict[str, tuple[Any, Any, str]] = {}
        typed: dict[str, Any] = {}

        template_name = option_value(self._select("template"))
        template = None
        if template_name is not None and template_name != v.template_name:
            template_name = check.rule("template", rules.template_name, template_name)
            template = data.templates.get(template_name or "")
            if template is not None:
                check.note("template", _template_note(template))
        now = {"replication": v.replication, "place_all": v.place_all, "place_tail": v.place_tail}
        now["place_head"] = v.place_head
        rule = {"replication": rules.replication, "place_all": rules.placement_group_name}
        for name in POLICY_FIELDS:
            if name == "place_head" and not data.newer:
                continue
            value = option_value(self._select(name))
            if value is None or value == now[name]:
                continue
            checked = check.rule(name, rule.get(name, rules.placement_group_name), value)
            if checked is not None:
                typed[name] = checked
                settings[name] = (now[name], checked, "typed")
        if template is not None:
            for name, from_template in (
                ("replication", _set(template.replication)),
                ("place_all", _set(template.place_all)),
                ("place_tail", _set(template.place_tail)),
            ):
                if name not in typed and from_template is not None and from_template != now[name]:
                    settings[name] = (now[name], from_template, f"template {template.name}")

        tags: dict[str, str] | None = None
        if data.newer:
            text = self.query_one("#field-tags", Input).value
            wanted = check.rule("tags", rules.parse_tags, text)
            if wanted is not None:
                removed = {k: "" for k in v.tags if k not in wanted}
                changed = {k: val for k, val in wanted.items() if v.tags.get(k, "") != val}
                tags = dict(sorted({**removed, **changed}.items()))
                if tags:
                    check.note("tags", _tags_note(tags))
        self.change = Change(settings)
        self._show_changes(template_name if template is not None else None, tags or {})
        if check.errors or (not typed and template is None and not tags):
            return None
        return self._mutation(v.name, template.name if template else None, typed, tags or None)

    def _show_changes(self, template: str | None, tags: dict[str, str]) -> None:
        lines = [f"template → {template}"] if template else []
        for name, (now, after, source) in self.change.settings.items():
            lines.append(f"{LABELS[name]} {now or '-'} → {after}" + ("" if source == "typed" else f" (from {source})"))
        if tags:
            lines.append(_tags_note(tags))
        text = "Will change: " + "; ".join(lines) + "." if lines else "Nothing changed yet."
        self.query_one("#edit-changes", Static).update(fmt.inert(text))

    def _mutation(
        self, name: str, template: str | None, typed: dict[str, Any], tags: dict[str, str] | None
    ) -> Mutation:
        args: dict[str, Any] = {"template": template, **typed, "tags": tags}
        given = {k: val for k, val in args.items() if val is not None}

        async def call(client: SpClient) -> Any:
            return await client.volume_update(name, **given)

        async def verify(client: SpClient) -> str:
            (now,) = await client.volume_list(name)
            head = f", placeHead {now.place_head}" if now.place_head else ""
            shown = ", ".join(f"{k}={val}" for k, val in sorted(now.tags.items()))
            return (
                f"volume {name} has replication {now.replication}, placeAll {now.place_all}, "
                f"placeTail {now.place_tail}{head}, template {now.template_name or '-'}"
                + (f", tags {shown}" if shown else "")
            )

        # A change of placement relocates copies: followed through its relocation tasks, like a balancer commit;
        # the objects to move are estimated from the size until the tasks count them. (New copies of a raised
        # replication are written by recovery, not by relocation tasks.)
        data = self.data
        moved = movement(data.volume, self.change).moved if data is not None and self.change.settings else 0
        objects = -(-data.volume.size // OBJECT_SIZE) * moved if data is not None else 0
        return Mutation(
            "update",
            f"volume {name}",
            cli_volume_update(name, **given),
            call,
            refresh=("volumes", "tasks"),
            pane="volumes",
            key=name,
            verify=verify,
            follow=Watch(f"change of volume {name}", None, objects) if moved else None,
        )

    # ---------------------------------------------------------------- confirmation

    def confirmation(self, mutation: Mutation) -> Confirmation | None:
        data = self.data
        if data is None or not self.change.settings:
            return None  # tags or a template that changes no placement: nothing moves
        v = data.volume
        moves = movement(v, self.change)
        changes = "; ".join(
            f"{LABELS[n]} {now or '-'} → {after}" for n, (now, after, _source) in self.change.settings.items()
        )
        lines = [f"It changes {changes}."]
        if moves.written:
            rough = v.size * moves.written
            held = (
                f" It holds {fmt.size_bytes(data.stored)} of data now, so about "
                f"{fmt.size_bytes(data.stored * moves.written)} is actually copied."
                if data.stored is not None
                else ""
            )
            parts = []
            if moves.moved:
                parts.append(f"{_copies(moves.moved)} of each object move to new disks")
            if moves.added:
                parts.append(
                    f"{_copies(moves.added, 'new ')} of each object {'is' if moves.added == 1 else 'are'} written"
                )
            lines.append(
                f"Data will move: {' and '.join(parts)} — up to {fmt.size_bytes(rough)} "
                f"({fmt.size_bytes(v.size)} × {moves.written}).{held}"
            )
            lines.append(
                "The relocator moves it in the background (the Tasks pane shows it); the disks involved "
                "carry the extra load until it is done."
            )
        else:
            lines.append("No data is copied.")
        objects, pending = _relocating(data.relocating)
        lines.append(
            f"The relocator still has {fmt.count(objects)} objects ({fmt.size_bytes(pending)}) of this volume to "
            "move from before."
            if objects
            else "The relocator has nothing of this volume to move right now."
        )
        warnings = []
        if moves.dropped:
            warnings.append(
                f"Replication {v.replication} → {v.replication - moves.dropped}: each object keeps "
                f"{moves.dropped} cop{'y' if moves.dropped == 1 else 'ies'} fewer, so the volume survives "
                f"{moves.dropped} disk or server failure(s) fewer."
            )
        return Confirmation(f"Change volume {v.name}: data will move", tuple(lines), "Apply", tuple(warnings))


def _copies(n: int, new: str = "") -> str:
    return f"{n} {new}cop{'y' if n == 1 else 'ies'}"


def _tags_note(tags: dict[str, str]) -> str:
    set_ = [f"{k}={val}" for k, val in tags.items() if val]
    removed = [k for k, val in tags.items() if not val]
    parts = ([f"sets {' '.join(set_)}"] if set_ else []) + ([f"removes {' '.join(removed)}"] if removed else [])
    return "tags: " + ", ".join(parts)
