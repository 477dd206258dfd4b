"""The designer app: wiring between the tree, the inspector, the preview and the statistics.

The design is a frozen model, replaced whole on every edit; the preview worker
is told which design it worked for, so stale results are dropped.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Header

from .. import presets
from ..engine.dirt_types import check_dirt_types
from ..errors import DesignerError
from ..model import Design, DesignInfo, Entity, Variant, edit
from ..model.deps import all_fields
from ..model.design import as_name, name_problem
from ..model.guess import guess_field
from ..model.kinds import Faker
from ..model.rename import rename_entity, rename_field, rename_problem
from ..stats import column_stats
from .checking import check
from .history import History
from .messages import AfterPending, PreviewFailed, PreviewReady
from .screens.dialogs import Confirm, Help, Prompt, key_rows
from .screens.export import ExportDialog
from .screens.naming import NameDialog
from .screens.provider_picker import ProviderPicker
from .widgets.entity_tree import EntityTree, Selection
from .widgets.footer import FittingFooter
from .widgets.inspector import Inspector
from .widgets.preview import EMPTY_DESIGN, PreviewTable
from .widgets.stats_panel import StatsPanel

PREVIEW_DELAY = 0.25  # seconds of quiet after an edit before the preview regenerates


class DesignerApp(App):
    CSS_PATH = "app.tcss"
    export_last: tuple[str, str] | None = None  # the export dialog's last (target, format), this session
    TITLE = "designer"
    # The single-key commands (a, A, v, d, x, r, e) are the tree's bindings: typing never runs them.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("f12", "save_as", "Save as"),
        Binding("ctrl+q", "quit_app", "Quit", priority=True),
        Binding("ctrl+z", "undo", "Undo", priority=True),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", priority=True),
        Binding("escape", "focus_tree", "Back to the tree", show=False),
        Binding("ctrl+o", "pick_provider", "Provider", show=False),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, design: Design, path: Path | None, saved: Design | None):
        super().__init__()
        self.design = design
        self.path = path
        self.saved = saved  # what is on disk; None when nothing is yet
        self.history = History(design)
        self.selection = Selection(next(iter(design.entities), None))  # its rows show on open
        self._preview_timer: Timer | None = None

    @classmethod
    def from_path(cls, path: str | None) -> DesignerApp:
        if path and Path(path).exists():
            design = presets.load(path)
            check_dirt_types(design)  # as `designer validate` refuses it
            return cls(design, Path(path), design)
        name = as_name(Path(path).stem) if path else "untitled"
        return cls(Design(info=DesignInfo(name=name)), Path(path) if path else None, None)

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield EntityTree(id="tree")
            with Vertical(id="right"):
                with Horizontal(id="top"):
                    yield Inspector(id="inspector")
                    yield StatsPanel(id="stats")
                yield PreviewTable(id="preview")
        yield FittingFooter()

    def on_resize(self, event) -> None:
        """Layout by size (tcss has no media queries): app.tcss styles -narrow, -short and -roomy,
        set on the app so that every screen, dialogs too, follows."""
        width, height = event.size
        self.set_class(width < 100, "-narrow")
        self.set_class(height < 30, "-short")
        self.set_class(width >= 200 and height >= 60, "-roomy")

    def on_mount(self) -> None:
        self.query_one(EntityTree).show_design(self.design, self.selection)
        self.call_later(self.query_one(Inspector).show, self.design, self.selection)
        if not self.design.entities:
            self.query_one(StatsPanel).show_message("An empty design: press A (or ctrl+p, Add entity) for the first entity.")
        else:
            self.query_one(StatsPanel).show_message("Select a field to see its distribution.")
        self._update_title()
        self.query_one(EntityTree).focus()
        self.schedule_preview()

    @property
    def dirty(self) -> bool:
        return self.saved is None and bool(self.design.entities) or (self.saved is not None and self.design != self.saved)

    def _update_title(self) -> None:
        self.title = f"designer · {self.design.info.name}" + (" ●" if self.dirty else "")
        self.sub_title = (str(self.path) if self.path else "new design") + (" · unsaved changes" if self.dirty else "")

    # ---- state changes --------------------------------------------------------------------

    def set_design(self, design: Design, note: str | None = None, *, merge: bool = False, rebuild_inspector: bool = True) -> None:
        """Put a design in force; a `note` makes it an undoable step (`merge`: typing in one input)."""
        if note is not None:
            self.history.push(design, note, merge=merge)
        self.design = design
        self.selection = self._valid_selection()
        self.query_one(EntityTree).show_design(design, self.selection)
        if rebuild_inspector:
            self.call_later(self.query_one(Inspector).show, design, self._valid_selection())
        self._update_title()
        self.schedule_preview()

    def _valid_selection(self) -> Selection:
        """The selection, or the nearest node above it that still exists after an edit."""
        entity, field, variant = self.selection
        if entity not in self.design.entities:
            return Selection()
        ent = self.design.entities[entity]
        if variant is not None:
            if variant not in ent.variants:
                return Selection(entity)
            return self.selection if field is None or field in ent.variants[variant].fields else Selection(entity, None, variant)
        return self.selection if field is None or field in ent.fields else Selection(entity)

    @on(EntityTree.Selected)
    def _selected(self, event: EntityTree.Selected) -> None:
        if event.selection == self.selection:
            return
        self.selection = event.selection
        self.history.seal()
        self.call_later(self.query_one(Inspector).show, self.design, event.selection)
        self.schedule_preview()

    @on(Inspector.Changed)
    def _edited(self, event: Inspector.Changed) -> None:
        self.set_design(event.design, f"edit {event.note}", merge=True, rebuild_inspector=event.rebuild)

    def _go_to(self, selection: Selection) -> None:
        self.selection = selection
        self.history.seal()
        self.query_one(EntityTree).show_design(self.design, selection)
        self.call_later(self.query_one(Inspector).show, self.design, selection)
        self.schedule_preview()
        self.query_one(EntityTree).focus()

    def action_focus_tree(self) -> None:
        if self.screen is self.screen_stack[0]:
            self.query_one(EntityTree).focus()

    def after_pending(self, then) -> None:
        """Run `then` once the edits typed before it are applied. Priority keys (ctrl+s, ctrl+z) run
        as they reach the app, while the keys before them may still be on their way: through the
        screen's queue to the focused input, then as messages up through its ancestors. So a note
        takes the same road: through the screen, then up from the focused widget, and acts last."""
        if self.screen is not self.screen_stack[0]:
            then()
        else:
            self.screen.post_message(AfterPending(then, via_screen=True))

    def on_after_pending(self, message: AfterPending) -> None:
        if message.via_screen and self.focused is not None:
            self.focused.post_message(AfterPending(message.then, via_screen=False))
        else:
            message.then()

    def action_undo(self) -> None:
        self.after_pending(lambda: self._travel(self.history.undo(), "Undo", "Nothing to undo."))

    def action_redo(self) -> None:
        self.after_pending(lambda: self._travel(self.history.redo(), "Redo", "Nothing to redo."))

    def _travel(self, step, verb: str, nothing: str) -> None:
        if self.screen is not self.screen_stack[0]:
            return
        if step is None:
            self.notify(nothing)
            return
        design, note = step
        self.set_design(design)
        self.notify(f"{verb}: {note}")

    # ---- live preview ---------------------------------------------------------------------

    def schedule_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._start_preview)

    def _start_preview(self) -> None:
        entity = self.selection[0]
        if not self.design.entities:
            self.query_one(PreviewTable).show_hint(EMPTY_DESIGN)
        if entity is None or entity not in self.design.entities:
            return
        self.compute_preview(self.design, entity)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def compute_preview(self, design: Design, entity: str) -> None:
        from ..pipeline import sample

        try:
            self.post_message(PreviewReady(design, entity, sample(design, entity)))
        except DesignerError as error:
            self.post_message(PreviewFailed(design, entity, str(error)))
        except Exception as error:  # never let a preview crash the editor
            self.post_message(PreviewFailed(design, entity, f"preview failed: {error}"))

    def on_preview_ready(self, message: PreviewReady) -> None:
        if message.design is not self.design or message.entity != self.selection[0]:
            return  # stale: the design or the selection changed since
        frame = message.sample.frame
        self.query_one(PreviewTable).show(
            message.entity, frame, message.sample.errors, message.sample.dirty, message.sample.copies
        )
        field = self.selection[1]
        stats = self.query_one(StatsPanel)
        parent = self.design.entities[message.entity].parent
        if field is None and parent is not None and message.sample.per_parent is not None:
            stats.show_children(message.entity, parent.entity, message.sample.per_parent)
        elif field is None:
            stats.show_message(f"{message.entity}: {frame.height:,} rows in the first block. Select a field.")
        elif field in frame.columns:
            stats.show(field, column_stats(frame[field]))
        else:
            stats.show_message(message.sample.errors.get(field, f"{field} is not exported (export = false)"))

    def on_preview_failed(self, message: PreviewFailed) -> None:
        if message.design is self.design:
            self.query_one(PreviewTable).show_error(message.message)

    # ---- actions --------------------------------------------------------------------------

    def _unique_name(self, base: str, taken) -> str:
        name, k = base, 2
        while name in taken:
            name, k = f"{base}_{k}", k + 1
        return name

    def _apply(self, design: Design, selection=None, note: str = "edit") -> bool:
        """Put an edit in force as one undoable step, once the loader's checks pass."""
        try:
            check(design)
        except DesignerError as error:
            self.notify(str(error), title="Not applied", severity="error")
            return False
        if selection is not None:
            self.selection = selection
        self.set_design(design, note)
        return True

    def _ask_name(self, question: str, suggestion: str, taken, then, *, entity: bool = False) -> None:
        """Ask for a name; the dialog refuses one the loader would refuse or one that is taken."""

        def problem(name: str) -> str | None:
            if (why := name_problem(name, entity=entity)) is not None:
                return why
            return f'"{name}" is taken already' if name in taken else None

        self.push_screen(NameDialog(question, self._unique_name(suggestion, taken), problem), lambda name: name and then(name))

    def action_add_field(self) -> None:
        entity, _, variant = self.selection
        if entity is None:
            self.notify("Select an entity first (or add one with A).", severity="warning")
            return
        if variant is not None:
            self._add_override(entity, variant)
            return

        def add(name: str) -> None:
            design = edit.set_field(self.design, entity, name, edit.make_field(guess_field(name)))
            if not self._checks(design):  # a guessed provider this design's locale lacks
                design = edit.set_field(self.design, entity, name, edit.make_field({"kind": "faker", "provider": "word"}))
            self._apply(design, Selection(entity, name), f"add field {entity}.{name}")

        self._ask_name(f"New field in {entity}:", "new_field", all_fields(self.design, entity), add)

    @staticmethod
    def _checks(design: Design) -> bool:
        try:
            check(design)
        except DesignerError:
            return False
        return True

    def action_add_entity(self) -> None:
        def add(name: str) -> None:
            entity = Entity.model_validate({"rows": 100, "fields": {"id": {"kind": "sequence"}}})
            self._apply(edit.set_entity(self.design, name, entity), Selection(name), f"add entity {name}")

        self._ask_name("New entity:", "things", self.design.entities, add, entity=True)

    def action_add_variant(self) -> None:
        entity = self.selection.entity
        if entity is None:
            self.notify("Select an entity first: a variant is a trait of some of its rows.", severity="warning")
            return

        def add(name: str) -> None:
            self._apply(
                edit.set_variant(self.design, entity, name, Variant(weight=0.1)),
                Selection(entity, None, name),
                f"add variant {entity}.{name}",
            )

        self._ask_name(f"New variant of {entity} (10% of rows to start):", "variant", self.design.entities[entity].variants, add)

    def _add_override(self, entity: str, variant: str) -> None:
        """A field the variant overrides: an existing field starts as a copy of it, a new name is a
        field only the variant's rows have."""
        ent = self.design.entities[entity]
        free = [n for n in ent.fields if n not in ent.variants[variant].fields]

        def problem(name: str) -> str | None:
            if (why := name_problem(name)) is not None:
                return why
            return f"{variant} overrides {name} already" if name in ent.variants[variant].fields else None

        def done(name: str | None) -> None:
            if name:
                spec = ent.fields.get(name) or edit.make_field(guess_field(name))
                self._apply(
                    edit.set_override(self.design, entity, variant, name, spec),
                    Selection(entity, name, variant),
                    f"add override {entity}.{variant}.{name}",
                )

        prompt = f"Field {variant} overrides (one of {', '.join(free[:4])}{'...' if len(free) > 4 else ''}, or a new one):"
        self.push_screen(NameDialog(prompt, free[0] if free else "new_field", problem), done)

    def action_duplicate(self) -> None:
        entity, field, variant = self.selection
        if entity is None:
            return
        ent = self.design.entities[entity]
        if variant is not None and field is None:
            name = self._unique_name(f"{variant}_copy", ent.variants)
            self._apply(
                edit.set_variant(self.design, entity, name, ent.variants[variant]),
                Selection(entity, None, name),
                f"duplicate variant {entity}.{variant}",
            )
        elif variant is not None:
            self.notify("A variant overrides each field once; add another variant to vary it again.", severity="warning")
        elif field is None:
            name = self._unique_name(f"{entity}_copy", self.design.entities)
            self._apply(edit.set_entity(self.design, name, ent), Selection(name), f"duplicate entity {entity}")
        else:
            name = self._unique_name(f"{field}_copy", all_fields(self.design, entity))
            self._apply(
                edit.set_field(self.design, entity, name, ent.fields[field]),
                Selection(entity, name),
                f"duplicate field {entity}.{field}",
            )

    def action_delete(self) -> None:
        entity, field, variant = self.selection
        if entity is None:
            return
        if variant is not None and field is None:
            what, design, after = (
                f"variant {entity}.{variant}",
                edit.remove_variant(self.design, entity, variant),
                Selection(entity),
            )
        elif variant is not None and field is not None:
            what = f"override {entity}.{variant}.{field}"
            design, after = edit.remove_override(self.design, entity, variant, field), Selection(entity, None, variant)
        elif field is None:
            what, design, after = f"entity {entity}", edit.remove_entity(self.design, entity), Selection()
        else:
            what, design, after = f"field {entity}.{field}", edit.remove_field(self.design, entity, field), Selection(entity)
        if self._apply(design, after, f"delete {what}"):
            self.notify(f"Deleted {what}; ctrl+z brings it back.")

    def action_rename(self) -> None:
        entity, field, variant = self.selection
        if entity is None:
            self.notify("Select an entity, a field or a variant to rename.", severity="warning")
            return
        if variant is not None and field is not None:
            self.notify("An override keeps the name of the field it overrides.", severity="warning")
            return
        if variant is not None:
            variants = self.design.entities[entity].variants

            def problem(name: str) -> str | None:
                taken = name != variant and name in variants
                return name_problem(name) or (f'a variant of {entity} is named "{name}" already' if taken else None)

            def done(name: str | None) -> None:
                if name and name != variant:
                    self._apply(
                        edit.rename_variant(self.design, entity, variant, name),
                        Selection(entity, None, name),
                        f"rename variant {entity}.{variant} to {name}",
                    )
        elif field is None:

            def problem(name: str) -> str | None:
                return rename_problem(self.design, None, entity, name)

            def done(name: str | None) -> None:
                if name and name != entity:
                    self._apply(rename_entity(self.design, entity, name), Selection(name), f"rename entity {entity} to {name}")
        else:

            def problem(name: str) -> str | None:
                return rename_problem(self.design, entity, field, name)

            def done(name: str | None) -> None:
                if name and name != field:
                    self._apply(
                        rename_field(self.design, entity, field, name),
                        Selection(entity, name),
                        f"rename field {entity}.{field} to {name}",
                    )

        old = variant or field or entity
        self.push_screen(NameDialog(f"Rename {old} to (references follow):", old, problem), done)

    def action_move(self, offset: int) -> None:
        entity, field, variant = self.selection
        if entity is not None and field is not None and variant is None:
            self._apply(
                edit.move_field(self.design, entity, field, offset),
                None,
                f"move field {entity}.{field} {'up' if offset < 0 else 'down'}",
            )

    def action_move_to_entity(self) -> None:
        entity, field, variant = self.selection
        if entity is None or field is None or variant is not None:  # a field has its entity: None is for the checker
            self.notify("Select a field to move it to another entity.", severity="warning")
            return
        others = [n for n in self.design.entities if n != entity]

        def problem(name: str) -> str | None:
            if name not in others:
                return f"not another entity: one of {', '.join(others)}" if others else "there is no other entity"
            return f'{name} has a field "{field}" already' if field in all_fields(self.design, name) else None

        def done(target: str | None) -> None:
            if target:
                spec = self.design.entities[entity].fields[field]
                design = edit.set_field(edit.remove_field(self.design, entity, field), target, field, spec)
                self._apply(design, Selection(target, field), f"move field {entity}.{field} to {target}")

        self.push_screen(NameDialog(f"Move {entity}.{field} to entity:", others[0] if others else "", problem), done)

    def action_validate(self) -> None:
        """What `designer validate` says of the file this design saves as."""
        if self.query_one(Inspector).unapplied() is not None:
            self.notify(f"{self.query_one(Inspector).unapplied()}; the design in force is the last good one.", severity="warning")
        file = str(self.path or "the new design")
        try:
            check_dirt_types(presets.loads(presets.dumps(self.design), file=file))
        except DesignerError as error:
            self.notify(str(error.located(file=file)), title="Not valid", severity="error")
            return
        self.notify(
            f"Valid: {len(self.design.entities)} entities, {sum(len(e.fields) for e in self.design.entities.values())} fields."
        )

    def action_pick_provider(self) -> None:
        entity, field, variant = self.selection
        if entity is None or field is None:
            return
        ent = self.design.entities[entity]
        spec = ent.variants[variant].fields[field] if variant else ent.fields[field]
        if not isinstance(spec, Faker):
            self.notify("The provider picker is for faker fields.", severity="warning")
            return
        locale = self.design.info.locale if isinstance(self.design.info.locale, str) else "en_US"

        def done(provider: str | None) -> None:
            if provider:
                self.query_one(Inspector).set_provider(provider)

        self.push_screen(ProviderPicker(locale, spec.provider), done)

    @on(Inspector.PickProvider)
    def _pick(self) -> None:
        self.action_pick_provider()

    def action_save(self) -> None:
        self.after_pending(self._save)

    def _save(self) -> None:
        if self.path is None:
            self.action_save_as()
            return
        self._save_to(self.path)

    def _save_to(self, path: Path) -> bool:
        if (unapplied := self.query_one(Inspector).unapplied()) is not None:
            self.notify(
                f"{unapplied}: fix it (or select another node to drop it) before saving.", title="Not saved", severity="error"
            )
            return False
        if not self.design.entities:
            self.notify("Add an entity before saving: a preset needs at least one.", severity="error")
            return False
        try:
            presets.save(self.design, path, layout_from=self.path)
        except DesignerError as error:
            self.notify(str(error), title="Not saved", severity="error")
            return False
        self.path, self.saved = path, self.design
        self._update_title()
        self.notify(f"Saved {path}")
        return True

    def action_save_as(self) -> None:
        def done(answer: str | None) -> None:
            if answer:
                self._save_to(Path(answer))

        self.push_screen(Prompt("Save as:", str(self.path or f"{self.design.info.name}.toml")), done)

    def action_quit_app(self) -> None:
        self.after_pending(self._quit)

    def _quit(self) -> None:
        if not self.dirty:
            self.exit()
            return

        def done(answer: str | None) -> None:  # textual types every dialog's result as optional
            if answer == "save":
                if self.path is None:
                    self.action_save_as()
                elif self._save_to(self.path):
                    self.exit()
            elif answer == "discard":
                self.exit()

        self.push_screen(
            Confirm(
                "Save changes before quitting?", [("save", "Save"), ("discard", "Quit without saving"), ("cancel", "Cancel")]
            ),
            done,
        )

    def action_export(self) -> None:
        if not self.design.entities:
            self.notify("Nothing to export yet.", severity="warning")
            return

        def done(summary: str | None) -> None:
            if summary:  # None: closed before exporting, nothing to say
                self.notify(summary)

        self.push_screen(ExportDialog(self.design, self.export_last), done)

    def action_help(self) -> None:
        # the app's keys, then the tree's: the single-key commands act only there
        self.push_screen(Help(key_rows(self._bindings) + key_rows(self.query_one(EntityTree)._bindings)))

    def get_system_commands(self, screen):
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Help lists the keys, with designer's own
                yield command
        yield SystemCommand("Help", "Keys and how to edit (?)", self.action_help)
        yield SystemCommand("Save", "Save the preset (ctrl+s)", self.action_save)
        yield SystemCommand("Save as", "Save the preset under a new name (F12)", self.action_save_as)
        yield SystemCommand("Undo", "Undo the last edit (ctrl+z)", self.action_undo)
        yield SystemCommand("Redo", "Redo the edit undone (ctrl+y)", self.action_redo)
        yield SystemCommand("Add entity", "A new table (A)", self.action_add_entity)
        yield SystemCommand("Add field", "A new column in the selected entity (a)", self.action_add_field)
        yield SystemCommand("Add variant", "A trait a share of the selected entity's rows takes (v)", self.action_add_variant)
        yield SystemCommand("Delete", "Delete the selected entity, field or variant; undoable (x)", self.action_delete)
        yield SystemCommand("Rename", "Rename the selection; references follow (r)", self.action_rename)
        yield SystemCommand("Duplicate", "Copy the selection (d)", self.action_duplicate)
        yield SystemCommand("Move up", "Move the selected field up (ctrl+up)", lambda: self.action_move(-1))
        yield SystemCommand("Move down", "Move the selected field down (ctrl+down)", lambda: self.action_move(1))
        yield SystemCommand("Move to another entity", "Move the selected field to another entity", self.action_move_to_entity)
        yield SystemCommand("Validate", "Check the design as `designer validate` does", self.action_validate)
        yield SystemCommand("Export", "Write the dataset to SQLite, files or PostgreSQL (e)", self.action_export)
        yield SystemCommand(
            "Pick provider", "Choose the Faker provider of the selected field (ctrl+o)", self.action_pick_provider
        )
        for entity, ent in self.design.entities.items():
            yield SystemCommand(f"Go to {entity}", f"Select entity {entity}", lambda e=entity: self._go_to(Selection(e)))
            for name in ent.fields:
                yield SystemCommand(
                    f"Go to {entity}.{name}",
                    f"Select field {name} of {entity}",
                    lambda e=entity, n=name: self._go_to(Selection(e, n)),
                )
