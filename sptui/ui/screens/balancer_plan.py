"""The balancer's plan (`P`, or `p` in the commit confirmation): what a commit would move, before it is sent.

Per disk, the objects and bytes that arrive and leave; per volume and snapshot, its size and what of it moves.
Read-only: it never changes the cluster, so it is offered in `--read-only` mode too.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...api.errors import SpError
from ...state import format as fmt
from ...state.balancer_plan import MAX_DETAILED, BalancerPlan, fetch_plan
from ...state.messages import describe_error
from ..handle import SptuiNode

MAX_DISK_ROWS = 200


def _num(value: int | None) -> Text:
    return Text("—" if value is None else fmt.count(value), justify="right")


def _bytes(value: int | None) -> Text:
    return Text("—" if value is None else fmt.size_bytes(value), justify="right")


def disks_table(plan: BalancerPlan) -> Table:
    table = Table(box=None, expand=False, padding=(0, 1), show_edge=False, header_style="bold")
    for column in ("Disk", "Server", "Objects now", "After", "In", "Out", "Bytes in", "Bytes out"):
        table.add_column(column, justify="left" if column == "Disk" else "right", no_wrap=True)
    for d in plan.disks[:MAX_DISK_ROWS]:
        table.add_row(
            Text(str(d.disk)),
            Text(str(d.server)),
            _num(d.objects_now),
            _num(d.objects_after),
            _num(d.objects_in),
            _num(d.objects_out),
            _bytes(d.bytes_in),
            _bytes(d.bytes_out),
        )
    return table


def volumes_table(plan: BalancerPlan) -> Table:
    """Per volume; on a narrow screen the name and placement are cut, never a figure or its unit."""
    rows = [
        (
            Text(fmt.inert(v.name)),
            Text("snapshot" if v.snapshot else "volume"),
            _bytes(v.size),
            _num(v.objects),
            Text(fmt.inert(v.placement, 30)),
            _num(v.objects_moving),
            _bytes(v.bytes_moving),
        )
        for v in plan.volumes
    ]
    table = Table(box=None, expand=False, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("Volume or snapshot", no_wrap=True, max_width=40)
    headers = ("Kind", "Size", "Objects", "Group", "Moving", "Bytes")  # short: figures keep their room at 80
    for index, column in enumerate(headers, start=1):
        cut = column == "Group"
        widest = max((row[index].cell_len for row in rows), default=0)
        table.add_column(
            column,
            justify="left" if column in ("Kind", "Group") else "right",
            no_wrap=True,
            min_width=None if cut else widest,
        )
    for row in rows:
        table.add_row(*row)
    return table


def plan_summary(plan: BalancerPlan) -> str:
    if not plan.ready:
        return (
            f"The balancer has no plan to show (status: {fmt.inert(plan.status) or 'unknown'}). "
            "b → Balancer start computes one; it shows here once the status is ready."
        )
    giving = sum(1 for d in plan.disks if d.objects_out)
    taking = sum(1 for d in plan.disks if d.objects_in)
    text = (
        f"Committing moves {fmt.count(plan.objects_moving)} objects ({fmt.size_bytes(plan.bytes_moving)} of data) "
        f"of {fmt.plural(len(plan.volumes), 'volume or snapshot', 'volumes and snapshots')}: "
        f"{fmt.plural(giving, 'disk')} give, {fmt.plural(taking, 'disk')} receive."
    )
    if plan.down_disks:
        text += f" No estimate for down disk(s) {', '.join(map(str, plan.down_disks))}."
    return text


def plan_headings(plan: BalancerPlan) -> tuple[str, str]:
    """The disks' and the volumes' headings. What a table leaves out is said above it, where it is read before the
    rows (a note under hundreds of volume rows is never scrolled to), with what the summary's totals cover."""
    disks = fmt.plural(len(plan.disks), "disk")
    if len(plan.disks) > MAX_DISK_ROWS:
        disks_heading = f"Per disk, busiest first: the {MAX_DISK_ROWS} busiest of {disks} shown; the totals cover all"
    else:
        disks_heading = f"Per disk ({disks}, busiest first)"
    volumes_heading = "Per volume and snapshot, largest first: its placement group, copies and bytes moving"
    if len(plan.volumes) > MAX_DETAILED:
        # Each volume's estimate is a GET of its own: only the largest are asked for (MAX_DETAILED).
        moving = fmt.count(len(plan.volumes))
        volumes_heading += (
            f". What moves of each is asked for the {MAX_DETAILED} largest of the {moving} (— for the rest);"
            f" the totals above cover all {moving}."
        )
    return disks_heading, volumes_heading


class BalancerPlanScreen(ModalScreen[None], SptuiNode):
    """Loads the plan when opened; escape or q closes it, r reads it again."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="plan.close"),
        Binding("r", "reload", "Reload", id="plan.reload"),
    ]

    DEFAULT_CSS = """
    BalancerPlanScreen { align: center middle; }
    BalancerPlanScreen > VerticalScroll { width: 100%; max-width: 110; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    BalancerPlanScreen .title { text-style: bold; }
    BalancerPlanScreen .heading { text-style: bold; margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.plan: BalancerPlan | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Balancer plan · escape closes · r reloads", classes="title", markup=False)
            yield Static("Loading the plan from the API…", id="plan-summary", markup=False)
            yield Static("", id="plan-disks-heading", classes="heading", markup=False)
            yield Static("", id="plan-disks")
            yield Static("", id="plan-volumes-heading", classes="heading", markup=False)
            yield Static("", id="plan-volumes")

    def on_mount(self) -> None:
        self._load()

    def action_reload(self) -> None:
        self.query_one("#plan-summary", Static).update("Loading the plan from the API…")
        self._load()

    @work(group="plan-load", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        try:
            plan = await fetch_plan(self.sptui.client)
        except SpError as error:
            self.query_one("#plan-summary", Static).update(
                fmt.inert(f"Could not read the plan: {describe_error(error, self.sptui.client.endpoint)}")
            )
            return
        self.show(plan)

    def show(self, plan: BalancerPlan) -> None:
        self.plan = plan
        self.query_one("#plan-summary", Static).update(plan_summary(plan))
        disks_heading = volumes_heading = ""
        disks: Table | str = ""
        volumes: Table | str = ""
        if plan.ready:
            disks_heading, volumes_heading = plan_headings(plan)
            disks = disks_table(plan)
            volumes = volumes_table(plan)
        self.query_one("#plan-disks-heading", Static).update(disks_heading)
        self.query_one("#plan-disks", Static).update(disks)
        self.query_one("#plan-volumes-heading", Static).update(volumes_heading)
        self.query_one("#plan-volumes", Static).update(volumes)
