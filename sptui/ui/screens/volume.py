"""A volume's or snapshot's detail: summary and status, placement per disk and per disk set, the snapshot chain,
attachments, and relocator/balancer estimates."""

from __future__ import annotations

from typing import Any

from ...state.detail.common import Summary, kind_of
from ...state.detail.volume import VolumeKind, disk_sets_spec, volume_info_spec, volume_summary
from ...state.detail.volume_extras import volume_attachments_spec, volume_chain_spec, volume_estimates_spec
from ...state.selection import Selection
from .detail import DetailScreen, View


class VolumeScreen(DetailScreen):
    """`enter` on a volume or snapshot (Volumes pane, a disk's breakdown or objects, a chain, a client)."""

    def __init__(self, selection: Selection) -> None:
        self.volume_name = str(selection.key)
        # A guess until the dashboard's VolumesGetStatus or the API says otherwise (see on_mount, _volume_call).
        self.volume_kind = VolumeKind(snapshot=selection.kind == "snapshot")
        super().__init__(selection)

    def make_views(self) -> list[View]:
        info = volume_info_spec(self.volume_name, self.volume_kind)
        return [
            View(info, "Placement"),
            View(disk_sets_spec(self.volume_name), "Disk sets", source=info.name),
            View(volume_chain_spec(self.volume_name, self.volume_kind), "Chain"),
            View(volume_attachments_spec(self.volume_name), "Attachments"),
            View(volume_estimates_spec(self.volume_name, self.volume_kind), "Estimates"),
        ]

    def on_mount(self) -> None:
        default = "snapshot" if self.volume_kind.snapshot else "volume"
        state = self.sptui.state
        self.volume_kind.snapshot = kind_of(self.volume_name, state, default) == "snapshot"
        super().on_mount()

    def summarize(self, data: Any) -> Summary:
        return volume_summary(data)

    @property
    def kind_name(self) -> str:
        return "snapshot" if self.volume_kind.snapshot else "volume"

    def crumb(self) -> str:
        return f"{self.kind_name} {self.volume_name}"

    def subject_selection(self) -> Selection:
        volumes = self.sptui.state.get("volumes")
        row = volumes.rows.get(self.volume_name) if volumes is not None else None
        return Selection(self.kind_name, self.volume_name, row or self.subject.row)
