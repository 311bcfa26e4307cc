"""Form choices that read the same without colour, and keys that do what the form's hint says.

Textual's check box, radio button and selection list draw the same mark (`▐X▌`, `▐●▌`) on and off and tell them
apart by colour alone, so under NO_COLOR or on a monochrome terminal an option that is off looks on. Here the mark
is drawn only when on. In a form, `enter` submits (the hint says so), `space` toggles; a list takes its cursor on
its first option when it gets focus, so `space` there always acts on something visible.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rich.segment import Segment
from textual import on
from textual.binding import Binding, BindingType
from textual.events import Focus, Mount
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, RadioSet, SelectionList

OFF = " "  # the mark of an option that is off: nothing

# `enter` submits the form the widget is in (ActionForm.action_submit), as every form's hint says.
SUBMIT: BindingType = Binding("enter", "screen.submit", "Submit", show=False)


def _mark(button: Checkbox | RadioButton, on_mark: str) -> None:
    button.BUTTON_INNER = on_mark if button.value else OFF
    button.refresh()


T = TypeVar("T")


class Tick(Checkbox, inherit_bindings=False):
    """A check box whose X shows only when it is on; space toggles it, enter submits the form."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_button", "Toggle", show=False), SUBMIT]

    def on_mount(self, event: Mount) -> None:
        _mark(self, Checkbox.BUTTON_INNER)

    def watch_value(self) -> None:
        _mark(self, Checkbox.BUTTON_INNER)
        super().watch_value()


class OneOf(RadioSet, inherit_bindings=False):
    """A radio set whose dot shows only on the chosen button. The cursor starts on the chosen button (or the first);
    arrows move it, space chooses, enter chooses the button under the cursor and submits the form."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("up,left", "previous_button", "Previous option", show=False),
        Binding("space", "toggle_button", "Choose", show=False),
        Binding("enter", "choose_and_submit", "Submit", show=False),
    ]

    def on_mount(self, event: Mount) -> None:
        self._mark_buttons()

    @on(RadioSet.Changed)
    def _mark_changed(self) -> None:
        self._mark_buttons()

    def on_focus(self, event: Focus) -> None:
        if self._selected is None:
            index = self.pressed_index
            self._selected = index if index >= 0 else 0

    def _mark_buttons(self) -> None:
        for button in self.query(RadioButton):
            _mark(button, RadioButton.BUTTON_INNER)

    def action_choose_and_submit(self) -> None:
        buttons = list(self.query(RadioButton))
        if self._selected is not None and 0 <= self._selected < len(buttons):
            chosen = buttons[self._selected]
            if not chosen.value:
                chosen.value = True
        self.call_after_refresh(self.screen.run_action, "submit")


class Picks(SelectionList[T], inherit_bindings=False):
    """A selection list whose X shows only on the picked options; its cursor is on the first option once it has
    focus; space picks, enter submits the form."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("space", "select", "Pick", show=False),
        SUBMIT,
    ]

    def on_focus(self, event: Focus) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:  # the mark SelectionList draws
            segments[1] = Segment(OFF, segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)
        return strip
