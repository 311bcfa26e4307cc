"""What every maintenance form shares: inline validation, one request per submit, refusals kept in the form.

A form builds a `Mutation` (one API call plus what to log, refresh and select afterwards) from what the
operator typed, checking every value with `api/rules.py` as it goes; the submit button stays disabled and
each field says what is wrong until the form is valid. Submitting hands the mutation to the form's `Outbox`
(given by whoever opened it: the Actions controller), which sends it exactly once. While the answer is awaited
the form says so and ignores further submits; when the API says no, the form stays open with everything typed
and shows the API's error name and description; on success (or an unknown outcome) it dismisses with the
`Done` as its result, and the opener takes over. Escape while the answer is awaited stops waiting: the outcome
is unknown, the cluster is re-read, nothing is retried. Data goes one way: the form never calls back into
the app's controller.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Select, SelectionList, Static
from textual.worker import Worker

from ...api.errors import ApiError, SpError, ValidationError
from ...state.actionlog import Outcome
from ...state.follow import Watch
from ...state.format import inert, inert_lines
from ...state.messages import describe_error
from ..handle import SptuiNode
from .confirm import Confirmation, ConfirmScreen

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ...api.models import ApiOk

T = TypeVar("T")


@dataclass(frozen=True)
class Mutation:
    """One mutating API call, described well enough to log it, refresh after it and show its result.

    `pane` and `key` say where the new or changed object shows on the dashboard (the cursor goes there, and
    for a `new_object` the dashboard switches to that pane); with `key_is_auto_name` the key is the name the
    API chose (an auto-named snapshot). `verify` re-reads
    the cluster after an unknown outcome and says in one sentence whether the change is there. `follow`: work the
    call sets going (a soft-eject moving data), which is then followed to its end. `made`: the success message,
    naming what was made (given the key, which for an auto-named snapshot is the name the cluster chose).
    `removes`: the name of the volume or snapshot the call deletes, whose detail screens have nothing left to show
    once it is done.
    """

    what: str
    target: str
    cli: str
    call: Callable[[SpClient], Awaitable[ApiOk]]
    refresh: tuple[str, ...] = ()
    pane: str | None = None
    key: Hashable | None = None
    key_is_auto_name: bool = False
    new_object: bool = False
    verify: Callable[[SpClient], Awaitable[str]] | None = None
    follow: Watch | None = None
    made: Callable[[Hashable | None], str] | None = None
    removes: str | None = None


@dataclass(frozen=True)
class Done:
    """What became of a submitted mutation: ok, refused (nothing changed) or unknown (the answer was lost)."""

    mutation: Mutation
    outcome: Outcome
    at: datetime
    answer: ApiOk | None = None
    error: SpError | None = None
    detail: str = ""
    entry: int | None = None  # its index in the action log, once logged

    @property
    def key(self) -> Hashable | None:
        if self.mutation.key_is_auto_name:
            return self.answer.auto_name if self.answer is not None else None
        return self.mutation.key


@dataclass(frozen=True)
class Outbox:
    """How a form sends: `send` sends a mutation once and says what became of it; `now` stamps a wait that the
    operator gave up on (the same clock the action log uses)."""

    send: Callable[[Mutation], Awaitable[Done]]
    now: Callable[[], datetime]


@dataclass
class Check:
    """Collects, per field, what is wrong and what the operator should know (a size was rounded)."""

    errors: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def rule(self, name: str, rule: Callable[..., T], value: Any, *args: Any) -> T | None:
        """Apply one of `api/rules.py`'s checks; on failure remember its words for the field."""
        try:
            return rule(value, *args)
        except ValidationError as error:
            self.error(name, error.rule)
            return None

    def error(self, name: str, text: str) -> None:
        self.errors.setdefault(name, text)

    def note(self, name: str, text: str) -> None:
        self.notes[name] = text


def option_value(select: Select[Any]) -> Any:
    """A Select's value, or None when nothing is chosen."""
    value = select.value
    return None if value is Select.NULL else value


class ActionForm(ModalScreen[Done | None], SptuiNode):
    """Base of the maintenance forms. Subclasses compose their fields with `field_row`, load what they need
    in `fetch` (shown by `populate`), and turn the fields into a Mutation in `build`."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Submit", id="form.submit"),
    ]

    DEFAULT_CSS = """
    ActionForm { align: center middle; }
    ActionForm > #dialog {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ActionForm #form-title { text-style: bold; color: $text; margin-bottom: 1; }
    ActionForm #form-body { height: auto; max-height: 60vh; }
    ActionForm.-refused #form-body { max-height: 40vh; }
    ActionForm #form-foot { dock: bottom; height: auto; }
    ActionForm .field-row { height: auto; }
    ActionForm .field-label { width: 14; padding-top: 0; color: $text-muted; }
    ActionForm .field-row > Input, ActionForm .field-row > Select { width: 1fr; }
    ActionForm .field-error { display: none; color: $error; padding-left: 14; }
    ActionForm .field-note { display: none; color: $text-muted; padding-left: 14; }
    ActionForm .field-error.-shown, ActionForm .field-note.-shown { display: block; }
    ActionForm .text { height: auto; }
    ActionForm .warning { color: $warning; text-style: bold; }
    ActionForm #api-error { display: none; border: round $error; color: $error; padding: 0 1; height: auto; }
    ActionForm #api-error.-shown { display: block; }
    ActionForm #form-status { display: none; height: auto; color: $text-muted; }
    ActionForm #form-status.-shown { display: block; }
    ActionForm #form-status.-working { color: $warning; text-style: bold; }
    ActionForm #form-buttons { height: 1; margin-top: 1; }
    ActionForm #form-buttons > Button { margin-right: 2; }
    ActionForm .form-hint { color: $text-muted; }
    """

    def __init__(self, outbox: Outbox, title: str, submit_label: str, *, loads: bool = False) -> None:
        super().__init__()
        self.outbox = outbox
        self.form_title = title
        self.submit_label = submit_label
        self.working = False
        self.closing = False  # dismissed: late change events must not query fields being removed
        self.tried = False
        self.touched: set[str] = set()
        self.ready = not loads
        self.populating = loads  # until what was loaded is shown (fields mounted and focused), or it failed
        self.load_error: str | None = None
        self.field_names: list[str] = []
        self._sending: tuple[Mutation, datetime, Worker[None]] | None = None  # the request out, while it is

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(inert_lines(self.form_title), id="form-title", markup=False)
            with VerticalScroll(id="form-body"):
                yield from self.compose_fields()
            # Docked: the API's refusal and the buttons stay in view however long the form is.
            with Vertical(id="form-foot"):
                yield Static("", id="api-error", markup=False)
                yield Static("", id="form-status", markup=False)
                with Horizontal(id="form-buttons"):
                    yield Button(self.submit_label, id="submit", variant="primary", compact=True, disabled=True)
                    yield Button("Cancel", id="cancel", compact=True)
                yield Static(self.hint(), classes="form-hint", markup=False)

    def compose_fields(self) -> ComposeResult:
        """The form's fields, each from `field_row`."""
        yield from ()

    def hint(self) -> str:
        return "enter or ctrl+s submits · tab moves · escape cancels"

    def field_row(self, name: str, label: str, widget: Widget) -> list[Widget]:
        """A label, the input widget, and the lines that say what is wrong with it or what was made of it.

        Plain widgets (not a compose context), so a form can also mount fields once it knows what to ask.
        """
        self.field_names.append(name)
        widget.id = f"field-{name}"
        return [
            Horizontal(Label(label, classes="field-label"), widget, classes="field-row"),
            Static("", id=f"{name}-error", classes="field-error", markup=False),
            Static("", id=f"{name}-note", classes="field-note", markup=False),
        ]

    def on_mount(self) -> None:
        if not self.ready:
            self.set_status("Loading from the API…")
            self._load()
        self.revalidate()

    # ---------------------------------------------------------------- loading

    async def fetch(self) -> Any:
        """GET what the form offers (lists to pick from, what an action would touch)."""
        return None

    def populate(self, data: Any) -> Awaitable[None] | None:
        """Show what `fetch` returned (a form that mounts fields returns the mount to await)."""

    class Loaded(Message):
        def __init__(self, data: Any = None, error: str | None = None) -> None:
            super().__init__()
            self.data = data
            self.error = error

    @work(group="form-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            data = await self.fetch()
        except SpError as error:
            self.post_message(self.Loaded(error=describe_error(error, self.sptui.client.endpoint)))
            return
        self.post_message(self.Loaded(data))

    @property
    def holds_keys(self) -> bool:
        """Keys typed ahead wait until the fields they are for exist and have the focus (see ui/keys.py)."""
        return self.populating and not self.closing

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        try:
            await self._show_loaded(message)
        finally:
            self.populating = False
            self.sptui.keys.resume()

    async def _show_loaded(self, message: Loaded) -> None:
        if self.closing:
            return
        if message.error is not None:
            self.load_error = message.error
            self.set_status(f"Could not load what this form needs: {message.error}. Escape and try again.")
            return
        self.ready = True
        shown = self.populate(message.data)
        if inspect.isawaitable(shown):
            await shown  # fields mounted once the data said which to ask
        self.set_status("")
        self.revalidate()

    # ---------------------------------------------------------------- validation

    def build(self, check: Check) -> Mutation | None:
        """The mutation the fields describe; record every problem in `check`."""
        raise NotImplementedError

    def confirmation(self, mutation: Mutation) -> Confirmation | None:
        """What to ask before sending (destructive actions); None sends at once."""
        return None

    def revalidate(self) -> Mutation | None:
        """Check every field; show the errors of fields the operator has touched (all after a submit)."""
        if self.closing:
            return None
        check = Check()
        mutation = self.build(check) if self.ready else None
        for name in self.field_names:
            error = check.errors.get(name, "")
            shown = bool(error) and (self.tried or name in self.touched)
            self._line(f"#{name}-error", error if shown else "")
            self._line(f"#{name}-note", "" if shown else check.notes.get(name, ""))
        valid = self.ready and mutation is not None and not check.errors
        self.query_one("#submit", Button).disabled = self.working or not valid
        return mutation if valid else None

    def _line(self, selector: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(inert_lines(text))  # refusals and field errors quote the API's words
        widget.set_class(bool(text), "-shown")

    def _field_of(self, widget: Widget | None) -> str | None:
        while widget is not None and widget is not self:
            if widget.id and widget.id.startswith("field-"):
                return widget.id.removeprefix("field-")
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None  # the app above the screen is no field
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self, event: Message) -> None:
        name = self._field_of(getattr(event, "control", None))
        if name is None or self.closing:
            return
        if self.is_mounted and self.focused is not None and self._field_of(self.focused) == name:
            self.touched.add(name)  # typed or picked by the operator, not set by the form itself
        self.field_changed(name)
        self.revalidate()

    def field_changed(self, name: str) -> None:
        """React to a field (a template fills in defaults); called before revalidating."""

    # ---------------------------------------------------------------- submitting

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_submit(self) -> None:
        if self.working:
            return  # a second Enter while the first request is out: never a second request
        if not self.ready or self.closing:
            return
        self.tried = True
        mutation = self.revalidate()
        if mutation is None:
            self._focus_first_error()
            return
        confirmation = self.confirmation(mutation)
        if confirmation is None:
            self.send(mutation)
        else:
            self.app.push_screen(ConfirmScreen(confirmation), callback=partial(self._confirmed, mutation))

    def _confirmed(self, mutation: Mutation, yes: bool | None) -> None:
        if yes:
            self.send(mutation)

    def _focus_first_error(self) -> None:
        for name in self.field_names:
            if self.query_one(f"#{name}-error", Static).has_class("-shown"):
                self.query_one(f"#field-{name}").focus()
                return

    def send(self, mutation: Mutation) -> None:
        """Hand the mutation to the outbox, once: the flag is set before anything can yield."""
        if self.working:
            return
        self.working = True
        self._line("#api-error", "")
        self.query_one("#submit", Button).disabled = True
        self.set_status(
            f"Sending: {mutation.what} {mutation.target} — waiting for the API's answer… (escape stops waiting)",
            working=True,
        )
        self._sending = (mutation, self.outbox.now(), self._deliver(mutation))

    @work(group="mutation", exit_on_error=False)
    async def _deliver(self, mutation: Mutation) -> None:
        done = await self.outbox.send(mutation)
        self.post_message(self.Delivered(done))

    class Delivered(Message):
        def __init__(self, done: Done) -> None:
            super().__init__()
            self.done = done

    @on(Delivered)
    def _delivered(self, message: Delivered) -> None:
        done = message.done
        if self.closing:
            return  # the operator stopped waiting: already reported as unknown, and re-read
        self.working = False
        self._sending = None
        if done.outcome == "refused":
            self.set_status("")
            self._line("#api-error", refusal_text(done))
            self.add_class("-refused")
            self.revalidate()
            return
        self._finish(done)

    def action_cancel(self) -> None:
        """Escape always gives the operator the terminal back. While a request is out it cannot be called back,
        so stopping the wait makes the outcome unknown: the opener re-reads the cluster (the mutation's
        `verify`) and says what it found, and nothing is sent again."""
        if self.working and self._sending is not None:
            mutation, at, worker = self._sending
            if worker.is_finished:
                return  # the answer is in and on its way to `_delivered`: that outcome is the true one
            worker.cancel()
            self.working = False
            self._finish(Done(mutation, "unknown", at, detail="the operator stopped waiting for the answer"))
            return
        self.closing = True
        self.dismiss(None)

    def _finish(self, done: Done) -> None:
        self.closing = True
        if not self.is_current:
            self.pop_until_active()  # the palette opened over the form: dismiss must pop the form, not it
        self.dismiss(done)  # the opener's callback reports it, refreshes and moves the cursor

    def set_status(self, text: str, working: bool = False) -> None:
        status = self.query_one("#form-status", Static)
        status.update(inert_lines(text))  # "Sending: snapshot volume <name>", a load error
        status.set_class(bool(text), "-shown")
        status.set_class(working, "-working")


def refusal_text(done: Done) -> str:
    """The API's own words (error name and description), and that nothing was changed or lost."""
    error = done.error
    if isinstance(error, ApiError):
        # Each part inert on its own: a line break inside the API's error name must not pass for one of ours.
        name, descr = inert(error.name), inert(error.descr)
        return f"The API refused {error.call}: {name}\n{descr}\nEverything you typed is kept."
    return f"Not sent: {inert(done.detail)}"
