"""Resize a volume: the new size (`30G`) or how much to grow it by (`+5G`), in the CLI's binary units.

Growing is routine and is confirmed with the old and the new size. Shrinking cuts off the end of the volume:
the API wants its explicit `shrinkOk`, and the confirmation says how much of the volume is cut off, how much of
the data stored in it may lie there, which clients see the smaller device at once, and asks for the volume's
name to be typed. A size off the 512-byte grid is rounded up, and the form says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Static

from ...api import rules
from ...api.client import SpClient
from ...api.errors import ValidationError
from ...api.models import Attachment, VolumeSummary
from ...state import format as fmt
from ...state.actionlog import cli_resize
from ...state.detail.volume import volume_status
from .base import ActionForm, Check, Mutation, Outbox
from .confirm import Confirmation


@dataclass(frozen=True)
class ResizeData:
    """The volume as it is now: its size, the data stored in it (unknown without a status) and its clients."""

    volume: VolumeSummary
    stored: int | None
    attached: tuple[Attachment, ...]


@dataclass(frozen=True)
class Resize:
    old: int
    new: int
    add: int | None  # "+5G": sent as sizeAdd, so a concurrent resize is added to rather than undone

    @property
    def shrinks(self) -> bool:
        return self.new < self.old


def read_resize(text: str, current: int, check: Check) -> tuple[int, int | None] | None:
    """The typed size, rounded up to whole sectors with a note when it is off the grid."""
    try:
        return rules.parse_resize(text, current, "size")
    except ValidationError as exact_error:
        try:
            new, add = rules.parse_resize(text, current, "size", round_up=True)
        except ValidationError:
            check.error("size", exact_error.rule)
            return None
    check.note("size", f"not a multiple of 512 bytes: rounded up to {new:,} bytes ({fmt.size_bytes(new)})")
    return new, add


class ResizeForm(ActionForm):
    """`R` on a volume."""

    def __init__(self, outbox: Outbox, volume: str) -> None:
        super().__init__(outbox, f"Resize volume {volume}", "Resize", loads=True)
        self.volume = volume
        self.data: ResizeData | None = None
        self.resize: Resize | None = None

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="resize-now", classes="text", markup=False)
        yield from self.field_row("size", "New size", Input(placeholder="30G, or +5G to grow by 5 GiB", compact=True))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-size", Input).focus()

    async def fetch(self) -> ResizeData:
        client: SpClient = self.sptui.client
        found, status, attachments = await asyncio.gather(
            client.volume_list(self.volume),
            volume_status(client, self.sptui.state, self.volume),
            client.attachments_list(),
        )
        attached = tuple(a for a in attachments if a.volume == self.volume and not a.snapshot)
        return ResizeData(found[0], status.stored_size if status is not None else None, attached)

    def populate(self, data: ResizeData) -> None:
        self.data = data
        size = data.volume.size
        stored = f", {fmt.size_bytes(data.stored)} of data stored in it" if data.stored is not None else ""
        self.query_one("#resize-now", Static).update(
            fmt.inert_lines(f"Now {fmt.size_bytes(size)} ({size:,} bytes){stored}.")
        )

    def build(self, check: Check) -> Mutation | None:
        if self.data is None:
            return None
        old = self.data.volume.size
        text = self.query_one("#field-size", Input).value.strip()
        if not text:
            check.error("size", "the new size, like 30G, or +5G to grow by 5 GiB")
            return None
        read = read_resize(text, old, check)
        if read is None:
            return None
        new, add = read
        if new == old:
            check.error("size", f"the volume is {fmt.size_bytes(old)} already")
            return None
        if "size" not in check.notes:
            change = "grows by" if new > old else "shrinks by"
            check.note("size", f"= {fmt.size_bytes(new)} ({new:,} bytes): {change} {fmt.size_bytes(abs(new - old))}")
        resize = self.resize = Resize(old, new, add)
        return self._mutation(resize)

    def _mutation(self, resize: Resize) -> Mutation:
        name = self.volume
        shrink = resize.shrinks

        async def call(client: SpClient) -> Any:
            if resize.add is not None:
                return await client.volume_update(name, size_add=resize.add)
            return await client.volume_update(name, size=resize.new, shrink_ok=True if shrink else None)

        async def verify(client: SpClient) -> str:
            now = (await client.volume_list(name))[0].size
            if now == resize.new:
                return f"volume {name} is {fmt.size_bytes(now)}, as requested"
            return f"volume {name} is {fmt.size_bytes(now)} ({now:,} bytes), not {resize.new:,}"

        cli = (
            cli_resize(name, size_add=resize.add)
            if resize.add is not None
            else cli_resize(name, size=resize.new, shrink_ok=shrink)
        )
        return Mutation(
            "shrink" if shrink else "grow",
            f"volume {name}",
            cli,
            call,
            refresh=("volumes",),
            pane="volumes",
            key=name,
            verify=verify,
        )

    def confirmation(self, mutation: Mutation) -> Confirmation | None:
        resize, data = self.resize, self.data
        if resize is None or data is None:
            return None
        name = self.volume
        old, new = fmt.size_bytes(resize.old), fmt.size_bytes(resize.new)
        clients = ", ".join(f"{a.client} ({a.rights})" for a in data.attached)
        if not resize.shrinks:
            lines = [
                f"{old} → {new}: {fmt.size_bytes(resize.new - resize.old)} more ({resize.new:,} bytes).",
                "Volumes are thin: no data moves and no space is taken until it is written.",
                f"Attached to client(s) {clients}: they see the new size at once; grow the file system there."
                if clients
                else "Not attached to any client.",
            ]
            return Confirmation(f"Grow volume {name}", tuple(lines), "Grow")
        cut = resize.old - resize.new
        lines = [
            f"{old} → {new}: the last {fmt.size_bytes(cut)} of the volume is cut off ({resize.new:,} bytes remain).",
        ]
        if data.volume.parent_name:
            lines.append(f"Its snapshots (parent {data.volume.parent_name}) keep their own size and data.")
        warnings = []
        if data.stored is None:
            warnings.append(f"Whatever was written past {new} is lost for good.")
        else:
            lost = min(data.stored, cut)
            warnings.append(
                f"{fmt.size_bytes(data.stored)} of data is stored in the volume; up to {fmt.size_bytes(lost)} of it "
                f"may lie past {new} and is lost for good."
            )
        warnings.append("Shrink the file system or partition on it first, or it will be damaged.")
        if clients:
            warnings.append(f"Attached to client(s) {clients}: the device shrinks under them at once.")
        return Confirmation(
            f"Shrink volume {name}: data past {new} is lost",
            tuple(lines),
            f"Shrink to {new}",
            tuple(warnings),
            typed=name,
        )
