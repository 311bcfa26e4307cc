"""`enter` on a Capacity row: a template's volumes and snapshots, or a placement group's disks."""

from __future__ import annotations

from typing import Any

from ...state.detail.capacity import Members, group_disks_spec, template_volumes_spec
from ...state.detail.common import Summary
from .detail import DetailScreen, View


class _MembersScreen(DetailScreen):
    """One view of the members; the summary is the Capacity pane's figures for the row."""

    def summarize(self, data: Any) -> Summary:
        return data.summary if isinstance(data, Members) else Summary(())


class TemplateScreen(_MembersScreen):
    def make_views(self) -> list[View]:
        return [View(template_volumes_spec(str(self.subject.key)), "Volumes")]

    def crumb(self) -> str:
        return f"template {self.subject.key}"


class PlacementGroupScreen(_MembersScreen):
    def make_views(self) -> list[View]:
        return [View(group_disks_spec(str(self.subject.key)), "Disks")]

    def crumb(self) -> str:
        return f"placement group {self.subject.key}"
