"""A folded event's members: `enter` on "40 volumes degraded" lists the 40, and `enter` on one opens it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...state.format import inert
from ...state.selection import Selection
from ..handle import SptuiNode


def member_selection(kind: str, member: str) -> Selection:
    """A member as the object it names: "disk 101" is disk 101, a volume's name is that volume."""
    word, _, number = member.partition(" ")
    if word == kind and number.isdigit():
        return Selection(kind, int(number))
    return Selection(kind, member)


class MembersScreen(ModalScreen[None], SptuiNode):
    """The members of one folded event; escape closes, enter opens the member under the cursor."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="members.close")]

    DEFAULT_CSS = """
    MembersScreen { align: center middle; }
    MembersScreen > Vertical { width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1; }
    MembersScreen OptionList { height: auto; max-height: 30; }
    """

    def __init__(self, selection: Selection) -> None:
        super().__init__()
        row = selection.row
        self.kind = str(row.get("kind", ""))
        self.members: tuple[str, ...] = tuple(row.get("members") or ())
        self.heading = f"{row.get('subject', '')}: {row.get('time', '')} — {row.get('said', '')}"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(inert(self.heading), classes="title", markup=False)
            yield OptionList(*(Option(inert(member)) for member in self.members))
            yield Static("enter opens · escape closes", classes="hint", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.members else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss()
        self.sptui.open_detail(member_selection(self.kind, self.members[event.option_index]))
