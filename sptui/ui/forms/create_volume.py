"""Create a volume: a name, a size with units, replication and placement, or a template that supplies them.

Lists (placement groups, templates, snapshots, volumes) come from the API when the form opens; a template's
settings are shown and fill whatever is left empty. Sizes read as StorPool's CLI reads them (binary units);
one that is not a whole number of 512-byte sectors is rounded up, and the form says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select

from ...api import rules
from ...api.client import SpClient
from ...api.errors import ApiError, ValidationError
from ...api.models import DiskSummary, PlacementGroup, SnapshotSummary, VolumeSummary, VolumeTemplate
from ...state import format as fmt
from ...state.actionlog import cli_volume_create
from ...state.capacity import room_for
from .base import ActionForm, Check, Mutation, Outbox, option_value
from .confirm import Confirmation

LIMIT_HELP = "a whole number, or - for unlimited"


@dataclass(frozen=True)
class CreateLists:
    """What the form offers to pick from."""

    groups: tuple[str, ...]
    templates: dict[str, VolumeTemplate]
    snapshots: dict[str, SnapshotSummary]
    volumes: dict[str, VolumeSummary]
    placement: dict[str, PlacementGroup] = field(default_factory=dict)
    disks: dict[int, DiskSummary] = field(default_factory=dict)


@dataclass(frozen=True)
class Oversize:
    """A new volume larger than its placement groups can still take: said before it is sent."""

    size: int
    room: int
    replication: int
    place_all: str
    place_tail: str


def parse_limit(text: str, name: str, check: Check) -> int | str | None:
    """bw / iops: empty is "not set", "-" unlimited, else a non-negative whole number (rules.limit)."""
    text = text.strip()
    if not text:
        return None
    return check.rule(name, rules.parse_limit, text, name)


def read_size(text: str, check: Check) -> int | None:
    """A size as the CLI reads it; a size off the 512-byte grid is rounded up, with a note that says so."""
    try:
        size = rules.parse_size(text, "size")
        check.note("size", f"= {fmt.size_bytes(size)} ({size:,} bytes)")
        return size
    except ValidationError as exact_error:
        try:
            size = rules.parse_size(text, "size", round_up=True)
        except ValidationError:
            check.error("size", exact_error.rule)
            return None
    check.note("size", f"not a multiple of 512 bytes: rounded up to {size:,} bytes ({fmt.size_bytes(size)})")
    return size


def _set(value: Any) -> Any:
    """A template's "-" means "not set"."""
    return None if value in ("-", "", None) else value


def _choices(names: Iterable[str]) -> list[tuple[Text, str]]:
    """Select options for names from the API: a str prompt is parsed as markup, a Text is not (and still searches)."""
    return [(Text(fmt.inert(name)), name) for name in names]


class CreateVolumeForm(ActionForm):
    """`c`: create a volume."""

    def __init__(self, outbox: Outbox) -> None:
        super().__init__(outbox, "Create volume", "Create", loads=True)
        self.lists = CreateLists((), {}, {}, {})
        self.oversize: Oversize | None = None

    def compose_fields(self) -> ComposeResult:
        yield from self.field_row("name", "Name", Input(placeholder="e.g. vm-201-disk-0", compact=True))
        yield from self.field_row("size", "Size", Input(placeholder="10G, 512M, 1.5T or bytes", compact=True))
        yield from self.field_row("template", "Template", Select([], prompt="none", compact=True))
        yield from self.field_row(
            "replication", "Replication", Select([(str(n), n) for n in (1, 2, 3)], prompt="choose", compact=True)
        )
        yield from self.field_row("place_all", "placeAll", Select([], prompt="choose", compact=True))
        yield from self.field_row("place_tail", "placeTail", Select([], prompt="same as placeAll", compact=True))
        yield from self.field_row("parent", "Parent snap", Select([], prompt="none (type to search)", compact=True))
        yield from self.field_row("base_on", "baseOn volume", Select([], prompt="none (type to search)", compact=True))
        yield from self.field_row("bw", "Bandwidth", Input(placeholder="MB/s, or - for unlimited", compact=True))
        yield from self.field_row("iops", "IOPS", Input(placeholder="or - for unlimited", compact=True))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-name", Input).focus()

    async def fetch(self) -> CreateLists:
        client: SpClient = self.sptui.client
        groups, templates, snapshots, volumes, disks = await asyncio.gather(
            client.placement_groups_list(),
            client.volume_templates_list(),
            client.snapshots_list(),
            client.volumes_list(),
            client.disks_list(),
        )
        return CreateLists(
            tuple(sorted(groups)),
            {t.name: t for t in templates},
            {s.name: s for s in snapshots if not s.deleted and not s.transient},
            {v.name: v for v in volumes},
            dict(groups),
            dict(disks),
        )

    def populate(self, data: CreateLists) -> None:
        self.lists = data
        groups = _choices(data.groups)
        self._select("template").set_options(_choices(sorted(data.templates)))
        self._select("place_all").set_options(groups)
        self._select("place_tail").set_options(groups)
        self._select("parent").set_options(_choices(sorted(data.snapshots)))
        self._select("base_on").set_options(_choices(sorted(data.volumes)))

    def _select(self, name: str) -> Select[Any]:
        return self.query_one(f"#field-{name}", Select)

    def _text(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value

    def field_changed(self, name: str) -> None:
        if name == "template":
            template = self.lists.templates.get(option_value(self._select("template")))
            replication = _set(template.replication) if template else None
            self._select("replication").prompt = f"from template: {replication}" if replication else "choose"
            place_all = _set(template.place_all) if template else None
            self._select("place_all").prompt = f"from template: {place_all}" if place_all else "choose"
            place_tail = _set(template.place_tail) if template else None
            self._select("place_tail").prompt = f"from template: {place_tail}" if place_tail else "same as placeAll"

    def build(self, check: Check) -> Mutation | None:
        lists = self.lists
        name = check.rule("name", rules.volume_name, self._text("name").strip())
        template_name = option_value(self._select("template"))
        template = lists.templates.get(template_name) if template_name else None
        if template is not None:
            check.note("template", _template_note(template))
        parent_name = option_value(self._select("parent"))
        base_name = option_value(self._select("base_on"))
        if parent_name and base_name:
            check.error("base_on", "give either a parent snapshot or a baseOn volume, not both")
        source = lists.snapshots.get(parent_name) if parent_name else lists.volumes.get(base_name or "")

        size = None
        size_text = self._text("size").strip()
        if size_text:
            size = read_size(size_text, check)
            if size is not None and source is not None and size < source.size:
                check.error("size", f"smaller than the {fmt.size_bytes(source.size)} of {source.name}")
        elif source is None and (template is None or _set(template.size) is None):
            check.error("size", "a size is required (or a template that sets one, or a parent)")

        replication = option_value(self._select("replication"))
        if replication is not None:
            replication = check.rule("replication", rules.replication, replication)
        elif source is None and (template is None or _set(template.replication) is None):
            check.error("replication", "choose 1, 2 or 3 (or a template that sets it)")
        place_all = option_value(self._select("place_all"))
        if place_all is not None:
            place_all = check.rule("place_all", rules.placement_group_name, place_all, "placeAll")
        elif source is None and (template is None or _set(template.place_all) is None):
            check.error("place_all", "choose a placement group (or a template that sets it)")
        place_tail = option_value(self._select("place_tail"))
        if place_tail is not None:
            check.rule("place_tail", rules.placement_group_name, place_tail, "placeTail")
        if template_name:
            check.rule("template", rules.template_name, template_name)
        bw = parse_limit(self._text("bw"), "bw", check)
        iops = parse_limit(self._text("iops"), "iops", check)
        if check.errors or name is None:
            return None
        options: dict[str, Any] = {
            "size": size,
            "template": template_name,
            "replication": replication,
            "place_all": place_all,
            "place_tail": place_tail,
            "parent": parent_name,
            "base_on": base_name,
            "bw": bw,
            "iops": iops,
        }
        given = {key: value for key, value in options.items() if value is not None}
        self.oversize = self._oversize(size, replication, place_all, place_tail, template)

        async def call(client: SpClient) -> Any:
            return await client.volume_create(name, **given)

        async def verify(client: SpClient) -> str:
            return await volume_exists(client, name)

        return Mutation(
            "create",
            f"volume {name}",
            cli_volume_create(name, **given),
            call,
            refresh=("volumes",),
            pane="volumes",
            key=name,
            new_object=True,
            made=lambda _: f"Volume {name} created",
            verify=verify,
        )

    def _oversize(
        self, size: int | None, replication: Any, place_all: Any, place_tail: Any, template: VolumeTemplate | None
    ) -> Oversize | None:
        """The size against what the chosen (or the template's) placement groups can still take."""
        if template is not None:
            size = size if size is not None else _set(template.size)
            replication = replication if replication is not None else _set(template.replication)
            place_all = place_all if place_all is not None else _set(template.place_all)
            place_tail = place_tail if place_tail is not None else _set(template.place_tail)
        if not isinstance(size, int) or not isinstance(replication, int) or not isinstance(place_all, str):
            return None
        tail = place_tail if isinstance(place_tail, str) else place_all
        room = room_for(replication, place_all, tail, self.lists.placement, self.lists.disks)
        if room is None or size <= room:
            return None
        return Oversize(size, room, replication, place_all, tail)

    def confirmation(self, mutation: Mutation) -> Confirmation | None:
        over = self.oversize
        if over is None:
            return None
        groups = over.place_all if over.place_tail == over.place_all else f"{over.place_all} and {over.place_tail}"
        return Confirmation(
            f"Create {mutation.target}: larger than the space left",
            (
                f"It is {fmt.size_bytes(over.size)}; with replication {over.replication} on {groups}, new data can "
                f"still take {fmt.size_bytes(over.room)}.",
                "That is each group's least free drive, less 10 GiB, times its drives, divided by the copies it "
                "carries; the tightest group decides.",
                "Volumes are thin: it will be created, but writes past the free space will fail.",
            ),
            "Create anyway",
        )


def _template_note(template: VolumeTemplate) -> str:
    parts = []
    for label, value in (
        ("replication", _set(template.replication)),
        ("placeAll", _set(template.place_all)),
        ("placeTail", _set(template.place_tail)),
        ("size", fmt.size_bytes(template.size) if isinstance(template.size, int) else None),
        ("parent", _set(template.parent_name)),
        ("bw", _set(template.bw)),
        ("iops", _set(template.iops)),
    ):
        if value is not None:
            parts.append(f"{label} {value}")
    return "supplies " + (", ".join(parts) if parts else "nothing") + "; fields left empty take these"


async def volume_exists(client: SpClient, name: str) -> str:
    try:
        await client.volume_describe(name)
    except ApiError as error:
        if error.name == "objectNotFound" or error.status == 404:
            return f"volume {name} does not exist"
        raise
    return f"volume {name} exists"
