"""The simulated cluster moving on with time: relocations, resynchronisation, the balancer, removal.

Nothing runs in the background: `advance_to` moves the simulation forward by the elapsed clock time
(times the speed) and everything here happens in that step.
"""

from __future__ import annotations

from .balance import plan
from .model import Job, Move, Volume, invalid
from .placement import Placement


class Dynamics(Placement):
    """Time, relocation jobs, the balancer's phases and the removal of volumes and snapshots."""

    # ------------------------------------------------------------------ time

    def sync(self) -> None:
        """Bring the simulation up to the clock: every request calls this first."""
        self.advance_to(self.clock())

    def advance_to(self, now: float) -> None:
        with self.lock:
            dt = (now - self._last_clock) * self.speed
            if dt <= 0:
                return
            self._last_clock = now
            self.now += dt
            if self._step(dt):
                self.revision += 1

    def _step(self, dt: float) -> bool:
        changed = False
        for job in list(self.jobs):
            changed |= self._progress(job, dt)
        for disk in self.disks.values():
            if disk.sync_total and self.disk_up(disk.id):
                rate = max(50.0, disk.sync_total / 20.0)
                disk.sync_done = min(float(disk.sync_total), disk.sync_done + rate * dt)
                if disk.sync_done >= disk.sync_total:
                    disk.sync_total, disk.sync_done = 0, 0.0
                changed = True
        while self._balancer_tick():
            changed = True
        for vid in sorted(self.deleting):
            vol = self.volumes[vid]
            if vol.delete_at <= self.now:
                self.deleting.discard(vid)
                self._remove_volume(vol)
                changed = True
        return changed

    def _progress(self, job: Job, dt: float) -> bool:
        if job.paused or not self.relocator_on:
            return False
        total = job.total
        if total == 0:
            job.frac = 1.0 if job.direction > 0 else 0.0
        else:
            job.frac = min(1.0, max(0.0, job.frac + job.direction * job.rate * dt / total))
        if job.direction > 0 and job.frac >= 1.0:
            self._finish_job(job)
        elif job.direction < 0 and job.frac <= 0.0:
            self.drop_job(job)
        return True

    # ------------------------------------------------------------------ relocation jobs

    def start_job(self, kind: str, moves: list[tuple[int, int, int, int, int]], disk: int = -1) -> Job:
        self.next_transaction += 1
        job = Job(kind=kind, transaction_id=self.next_transaction, moves=[], rate=0.0, disk=disk)
        for vid, group, slot, src, dst in moves:
            vol = self.volumes[vid]
            move = Move(job, vid, group, slot, src, dst, vol.group_count(group))
            job.moves.append(move)
            self.moves_by_volume.setdefault(vid, []).append(move)
        job.rate = max(40.0, job.total / 90.0)
        self.jobs.append(job)
        self.touch()
        return job

    def still_valid(self, move: tuple[int, int, int, int, int]) -> bool:
        """A planned move whose volume, slot and disks are still as planned (the plan may be minutes old)."""
        vid, group, slot, src, dst = move
        vol = self.volumes.get(vid)
        return (
            vol is not None
            and vid not in self.moves_by_volume
            and group < len(vol.groups)
            and slot < len(vol.groups[group])
            and vol.groups[group][slot] == src
            and self.usable(dst)
        )

    def _finish_job(self, job: Job) -> None:
        """All objects arrived: the new disks become the volumes' targets for good."""
        by_volume: dict[int, list[Move]] = {}
        for m in job.moves:
            by_volume.setdefault(m.volume, []).append(m)
        for vid, moves in by_volume.items():
            vol = self.volumes.get(vid)
            if vol is None:
                continue
            self.account(vol, -1)
            for m in moves:
                group = vol.groups[m.group] if m.group < len(vol.groups) else []
                if m.slot < len(group) and group[m.slot] == m.src:
                    group[m.slot] = m.dst
            self.account(vol, +1)
        self.drop_job(job)
        self.topology_changed()
        self.bump()
        if job.kind == "balance":
            self.balancer_look()  # a capped plan may leave more to do

    def drop_job(self, job: Job) -> None:
        for m in job.moves:
            moves = self.moves_by_volume.get(m.volume)
            if moves is not None:
                moves.remove(m)
                if not moves:
                    del self.moves_by_volume[m.volume]
        self.jobs.remove(job)
        if job.kind == "eject" and job.direction < 0:
            self.topology_changed()
        self.touch()

    def drop_moves_of(self, vid: int) -> None:
        """The volume is going away: take its objects out of the relocations in flight."""
        for m in self.moves_by_volume.pop(vid, []):
            m.job.moves.remove(m)

    def drop_moves_to(self, disk_id: int) -> None:
        """The disk is gone for good: nothing moves onto it any more (the objects stay where they were)."""
        for job in self.jobs:
            for m in [m for m in job.moves if m.dst == disk_id]:
                job.moves.remove(m)
                moves = self.moves_by_volume[m.volume]
                moves.remove(m)
                if not moves:
                    del self.moves_by_volume[m.volume]

    def eject_job(self, disk_id: int) -> Job | None:
        for job in self.jobs:
            if job.kind == "eject" and job.disk == disk_id:
                return job
        return None

    # ------------------------------------------------------------------ balancer

    def _balancer_tick(self) -> bool:
        bal = self.balancer
        if bal.status not in ("waiting", "working") or self.now < bal.phase_end:
            return False
        if bal.status == "waiting":
            bal.status = "working"
            bal.phase_end += 5.0
            return True
        self.balancer_look()
        return True

    def balancer_look(self) -> None:
        """The balancer's verdict on the cluster now: blocked while a disk is down, a plan when some disk is
        out of its tolerance, else nothing to do (so it never says that of an unbalanced cluster)."""
        bal = self.balancer
        if any(not self.disk_up(d) for d in self.disks):
            bal.status, bal.plan = "blocked", []
            return
        bal.plan = plan(self)
        bal.status = "ready" if bal.plan else "nothing to do"
        if bal.plan and bal.auto:
            self.balancer_commit()

    def balancer_recheck(self) -> None:
        """An idle balancer looks again when the disks change under it: a failure, a return, a disk filling up."""
        if self.balancer.status in ("nothing to do", "ready", "blocked"):
            self.balancer_look()

    def balancer_start(self) -> None:
        bal = self.balancer
        if bal.status == "commiting":
            return
        bal.status = "waiting"
        bal.plan = []
        bal.phase_end = self.now + 1.0

    def balancer_commit(self) -> None:
        bal = self.balancer
        if bal.status != "ready":
            raise invalid(f"the balancer has no plan to commit (status: {bal.status})")
        self.start_job("balance", [m for m in bal.plan if self.still_valid(m)])
        bal.plan = []
        bal.status = "commiting"

    # ------------------------------------------------------------------ removal

    def _remove_volume(self, vol: Volume) -> None:
        self.drop_moves_of(vol.id)
        self.account(vol, -1)
        del self.volumes[vol.id]
        if self.names.get(vol.name) == vol.id:
            del self.names[vol.name]
        self.children.pop(vol.id, None)
        if vol.parent:
            self.children.get(vol.parent, set()).discard(vol.id)
            self.collect(vol.parent)
        self.touch()

    def delete_volume(self, vol: Volume) -> None:
        """Volumes go at once; snapshots are marked deleted and go a few seconds later."""
        if vol.snapshot:
            self._mark_deleted(vol)
        else:
            self._remove_volume(vol)
        self.bump()

    def collect(self, vid: int) -> None:
        """Bound and transient snapshots go when nothing depends on them any more."""
        snap = self.volumes.get(vid)
        if snap is None or snap.deleted or not (snap.bound or snap.transient):
            return
        if self.children.get(vid) or self.attachments_of(vid) or vid in self.exports:
            return
        self._mark_deleted(snap)

    def _mark_deleted(self, snap: Volume) -> None:
        """Snapshots are listed as deleted for a few seconds while their space is reclaimed."""
        snap.deleted = True
        snap.delete_at = self.now + 3.0
        self.deleting.add(snap.id)
