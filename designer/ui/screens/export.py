"""Export from the TUI: target, format, rows and seed, then a cancellable progress bar per entity.

The export runs through designer.pipeline in a thread worker, exactly as the CLI's.
"""

from __future__ import annotations

import threading

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select

from ...errors import Cancelled, DesignerError
from ...model import Design

FORMATS = ["sqlite", "csv", "tsv", "parquet", "ndjson", "json", "postgres"]


class ExportDialog(ModalScreen[str | None]):
    """Returns a one-line summary of what was written, or None when cancelled."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    class Finished(Message):
        """The export ended (summary), or was cancelled (None). Posted, not called: dismissing
        the dialog cancels its workers, and the worker that asked must have returned by then."""

        def __init__(self, summary: str | None):
            super().__init__()
            self.summary = summary

    def __init__(self, design: Design):
        super().__init__()
        self.design = design
        self.stop = threading.Event()
        self.running = False

    def compose(self) -> ComposeResult:
        name = self.design.design.name
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label(f"Export {name}", id="export-title")
            yield Label("Target (file, directory or postgresql:// URL)")
            yield Input(f"{name}.sqlite", id="export-target")
            yield Label("Format")
            yield Select([(f, f) for f in FORMATS], value="sqlite", allow_blank=False, id="export-format")
            yield Label("Rows of every root entity (empty: as designed) · Seed (empty: the design's)")
            with Horizontal(classes="pair"):
                yield Input("", placeholder="rows", id="export-rows")
                yield Input("", placeholder=str(self.design.design.seed), id="export-seed")
            yield Label("", id="export-error", classes="option-error")
            yield Vertical(id="export-progress")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-start")
                yield Button("Cancel", id="export-cancel")

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        target = self.query_one("#export-target", Input)
        stem = self.design.design.name
        target.value = {"sqlite": f"{stem}.sqlite", "postgres": "postgresql://localhost/designer"}.get(event.value, f"{stem}-{event.value}/")

    def _int(self, widget_id: str) -> int | None:
        text = self.query_one(widget_id, Input).value.strip()
        if not text:
            return None
        if not text.isdigit():
            raise DesignerError(f"{widget_id[8:]}: give a whole number, not {text!r}")
        return int(text)

    @on(Button.Pressed, "#export-start")
    def _start(self) -> None:
        if self.running:
            return
        error = self.query_one("#export-error", Label)
        try:
            rows, seed = self._int("#export-rows"), self._int("#export-seed")
        except DesignerError as problem:
            error.update(str(problem))
            return
        error.update("")
        self.running = True
        self.query_one("#export-start", Button).disabled = True
        self.run_export(self.query_one("#export-target", Input).value.strip(), self.query_one("#export-format", Select).value, rows, seed)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_export(self, output: str, fmt: str, rows: int | None, seed: int | None) -> None:
        from ... import pipeline
        from ...writers import resolve_target

        bars: dict[str, ProgressBar] = {}

        def progress(p) -> None:
            def update() -> None:
                box = self.query_one("#export-progress", Vertical)
                if p.finishing:  # the last writes, a database's keys and indexes, the renames
                    box.mount(Label("finishing: keys, indexes, files…", id="export-finishing"))
                    return
                if p.entity not in bars:
                    box.mount(Label(p.entity))
                    bars[p.entity] = ProgressBar(total=max(p.total, 1), show_eta=True, id=f"bar-{p.entity}")
                    box.mount(bars[p.entity])
                bars[p.entity].update(progress=p.done)
            self.app.call_from_thread(update)

        try:
            roots = {n: rows for n, e in self.design.entities.items() if e.parent is None} if rows is not None else None
            target = resolve_target(output or None, fmt, self.design.design.name, len(self.design.entities), "fail")
            result = pipeline.export(self.design, target, rows=roots, seed=seed, on_progress=progress, cancelled=self.stop.is_set)
        except Cancelled:
            self.post_message(self.Finished(None))
            return
        except DesignerError as problem:
            self.app.call_from_thread(self._failed, str(problem))
            return
        except Exception as problem:  # shown in the dialog rather than killing the app
            self.app.call_from_thread(self._failed, f"export failed: {problem}")
            return
        total = sum(result.rows.values())
        self.post_message(self.Finished(f"exported {total:,} rows to {target.shown} in {result.seconds:.1f}s"))

    def on_export_dialog_finished(self, message: ExportDialog.Finished) -> None:
        self.dismiss(message.summary)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#export-start", Button).disabled = False
        self.query_one("#export-error", Label).update(message)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        if self.running:
            self.stop.set()  # the worker aborts the writer, which removes what it wrote
        else:
            self.dismiss(None)
