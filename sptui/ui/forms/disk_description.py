"""Set a disk's description (DiskSetDescription): the label an operator finds a drive by (rack, slot, RMA ticket).

The field opens on the description the disk has now; the API's rule (up to 30 letters, digits, `_`, `-` and
spaces) is checked as it is typed, and an empty description clears it. Nothing moves, so nothing to confirm.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Static

from ...api import rules
from ...api.client import SpClient
from ...state import format as fmt
from ...state.actionlog import cli_disk_description
from .base import ActionForm, Check, Mutation, Outbox


class DiskDescriptionForm(ActionForm):
    """`i` on a disk."""

    def __init__(self, outbox: Outbox, disk_id: int) -> None:
        super().__init__(outbox, f"Describe disk {disk_id}", "Set description", loads=True)
        self.disk_id = disk_id
        self.current: str | None = None

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="disk-now", classes="text", markup=False)
        yield from self.field_row(
            "description", "Description", Input(placeholder="e.g. rack 4 slot 2 (empty clears it)", compact=True)
        )

    async def fetch(self) -> str:
        disks = await self.sptui.client.disks_list()
        disk = disks.get(self.disk_id)
        return disk.description if disk is not None else ""

    def populate(self, data: str) -> None:
        self.current = data
        now = f"Now: {data!r}." if data else "Now: no description."
        self.query_one("#disk-now", Static).update(fmt.inert(now))
        field = self.query_one("#field-description", Input)
        field.value = data
        field.focus()

    def build(self, check: Check) -> Mutation | None:
        if self.current is None:
            return None
        text = self.query_one("#field-description", Input).value
        description = check.rule("description", rules.disk_description, text)
        if description is None:
            return None
        if description == self.current:
            check.note("description", "unchanged")
            return None
        check.note("description", f"{len(description)} of 30 characters" if description else "clears the description")
        disk_id = self.disk_id

        async def call(client: SpClient) -> Any:
            return await client.disk_set_desc(disk_id, description)

        async def verify(client: SpClient) -> str:
            now = (await client.disks_list()).get(disk_id)
            return f"disk {disk_id}'s description is {now.description!r}" if now else f"disk {disk_id} is not listed"

        return Mutation(
            "describe",
            f"disk {disk_id}",
            cli_disk_description(disk_id, description),
            call,
            refresh=("disks",),
            pane="disks",
            key=disk_id,
            verify=verify,
        )
