"""A stand-in for the `gc` module behind the GC policy's seam: records what the policy asks."""

from __future__ import annotations

from sptui.ui.gcpolicy import GcHooks


class FakeGc:
    """Records the calls; `young_collections` is what gc.get_count()[2] reports (reset by a collection)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.threshold = (700, 10, 10)
        self.young_collections = 0

    def hooks(self) -> GcHooks:
        return GcHooks(
            collect=self.collect,
            freeze=lambda: self.calls.append("freeze"),
            get_count=lambda: (0, 0, self.young_collections),
            get_threshold=lambda: self.threshold,
            set_threshold=self.set_threshold,
        )

    def collect(self) -> int:
        self.calls.append("collect")
        self.young_collections = 0
        return 0

    def set_threshold(self, young: int, middle: int, old: int) -> None:
        self.threshold = (young, middle, old)
