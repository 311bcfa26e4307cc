"""A disk's detail: summary and objects by state, per-volume breakdown, every object, active requests."""

from __future__ import annotations

from typing import Any

from ...state.detail.common import CallProbe, Summary
from ...state.detail.disk import (
    DiskDetail,
    SharedDescribe,
    disk_info_spec,
    disk_objects_spec,
    disk_requests_spec,
    disk_summary,
)
from ...state.selection import Selection
from .detail import DetailScreen, View


class DiskScreen(DetailScreen):
    """`enter` on a disk (Disks pane, a task, a request, a volume's placement)."""

    def __init__(self, selection: Selection) -> None:
        self.disk_id = selection.number
        self.probe = CallProbe()  # whether this server still offers DiskGetInfo
        self.describe = SharedDescribe(self.disk_id)  # one DiskDescribe for the objects and a fallback summary
        super().__init__(selection)

    def make_views(self) -> list[View]:
        return [
            View(disk_info_spec(self.disk_id, self.probe, self.describe), "Volumes"),
            View(disk_objects_spec(self.disk_id, self.describe), "Objects", prefetch=True),
            View(disk_requests_spec(self.disk_id), "Requests"),
        ]

    def summarize(self, data: Any) -> Summary:
        return disk_summary(data)

    def early_summary(self) -> Summary | None:
        """The disks list's summary of this disk, at once: the summary's own answer (DiskDescribe where DiskGetInfo
        is not offered: 34 MB at 200k objects) only adds the objects by state and the volumes."""
        disks = self.sptui.state.get("disks")
        disk = disks.data.get(self.disk_id) if disks is not None else None
        if disk is None or not disk.up:  # a down disk's short form says too little; its own answer comes at once
            return None
        return disk_summary(DiskDetail(self.disk_id, disk, None, "DisksList"))

    def show_resources(self) -> None:
        super().show_resources()
        info = self.sptui.state.get(self.summary_resource)
        if info is not None and info.data.down:
            # An empty table of a down disk means "not known", not "none".
            self.pane.set_empty_text("Not known while the disk is down.")

    def crumb(self) -> str:
        return f"disk {self.disk_id}"

    def subject_selection(self) -> Selection:
        disks = self.sptui.state.get("disks")
        row = disks.rows.get(self.disk_id) if disks is not None else None
        return Selection("disk", self.disk_id, row or self.subject.row)
