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
from textual.widgets import Header

from .. import presets
from ..errors import DesignerError
from ..model import Design, DesignInfo, Entity, Variant, check_design, edit
from ..model.deps import all_fields
from ..model.design import as_name
from ..stats import column_stats
from .messages import PreviewFailed, PreviewReady
from .screens.dialogs import Confirm, Help, Prompt, key_rows
from .screens.export import ExportDialog
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
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("f12", "save_as", "Save as"),
        Binding("ctrl+q", "quit_app", "Quit", priority=True),
        Binding("a", "add_field", "Add field"),
        Binding("A", "add_entity", "Add entity"),
        Binding("v", "add_variant", "Add variant"),
        Binding("d", "duplicate", "Duplicate"),
        Binding("delete,x", "delete", "Delete"),
        Binding("r,f2", "rename", "Rename"),
        Binding("ctrl+up", "move(-1)", "Move up", show=False),
        Binding("ctrl+down", "move(1)", "Move down", show=False),
        Binding("e", "export", "Export"),
        Binding("ctrl+o", "pick_provider", "Provider", show=False),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, design: Design, path: Path | None, saved: Design | None):
        super().__init__()
        self.design = design
        self.path = path
        self.saved = saved  # what is on disk; None when nothing is yet
        self.selection = Selection()
        self._preview_timer = None

    @classmethod
    def from_path(cls, path: str | None) -> DesignerApp:
        if path and Path(path).exists():
            design = presets.load(path)
            return cls(design, Path(path), design)
        name = as_name(Path(path).stem) if path else "untitled"
        return cls(Design(design=DesignInfo(name=name)), Path(path) if path else None, None)

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
        self.call_later(self.query_one(Inspector).show, self.design, Selection())
        self.query_one(StatsPanel).show_message("Select a field to see its distribution.")
        self._update_title()
        self.query_one(EntityTree).focus()

    @property
    def dirty(self) -> bool:
        return self.saved is None and bool(self.design.entities) or (self.saved is not None and self.design != self.saved)

    def _update_title(self) -> None:
        self.title = f"designer · {self.design.design.name}" + (" ●" if self.dirty else "")
        self.sub_title = (str(self.path) if self.path else "new design") + (" · unsaved changes" if self.dirty else "")

    # ---- state changes --------------------------------------------------------------------

    def set_design(self, design: Design, *, rebuild_inspector: bool = True) -> None:
        self.design = design
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
        self.call_later(self.query_one(Inspector).show, self.design, event.selection)
        self.schedule_preview()

    @on(Inspector.Changed)
    def _edited(self, event: Inspector.Changed) -> None:
        self.set_design(event.design, rebuild_inspector=False)

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
        self.query_one(PreviewTable).show(message.entity, frame, message.sample.errors)
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

    def _apply(self, design: Design, selection=None) -> bool:
        try:
            check_design(design)
        except DesignerError as error:
            self.notify(str(error), title="Not applied", severity="error")
            return False
        if selection is not None:
            self.selection = selection
        self.set_design(design)
        return True

    def action_add_field(self) -> None:
        entity, _, variant = self.selection
        if entity is None:
            self.notify("Select an entity first (or add one with A).", severity="warning")
            return
        if variant is not None:
            self._add_override(entity, variant)
            return

        def add(name: str) -> None:
            spec = edit.make_field({"kind": "faker", "provider": "word"})
            self._apply(edit.set_field(self.design, entity, name, spec), Selection(entity, name))

        self._ask_name(f"New field in {entity}:", "new_field", "a field", all_fields(self.design, entity), add)

    def action_add_entity(self) -> None:
        def add(name: str) -> None:
            entity = Entity.model_validate({"rows": 100, "fields": {"id": {"kind": "sequence"}}})
            self._apply(edit.set_entity(self.design, name, entity), Selection(name))

        self._ask_name("New entity:", "things", "an entity", self.design.entities, add, lowercase=True)

    def action_add_variant(self) -> None:
        entity = self.selection.entity
        if entity is None:
            self.notify("Select an entity first: a variant is a trait of some of its rows.", severity="warning")
            return

        def add(name: str) -> None:
            self._apply(edit.set_variant(self.design, entity, name, Variant(weight=0.1)), Selection(entity, None, name))

        self._ask_name(f"New variant of {entity} (10% of rows to start):", "variant", "a variant",
                       self.design.entities[entity].variants, add)

    def _ask_name(self, question: str, suggestion: str, what: str, taken, then, *, lowercase: bool = False) -> None:
        """Ask for the name of something new; a valid name, made unique among `taken`, goes to `then`."""
        def done(name: str | None) -> None:
            if not name:
                return
            if not name.isidentifier() or (lowercase and name.lower() != name):
                rule = "lowercase letters, digits, _" if lowercase else "letters, digits, _"
                self.notify(f'"{name}" is not a name for {what} ({rule}).', severity="error")
                return
            then(self._unique_name(name, taken))

        self.push_screen(Prompt(question, self._unique_name(suggestion, taken)), done)

    def _add_override(self, entity: str, variant: str) -> None:
        """A field the variant overrides: an existing field starts as a copy of it, a new name is a
        field only the variant's rows have."""
        ent = self.design.entities[entity]
        free = [n for n in ent.fields if n not in ent.variants[variant].fields]

        def done(name: str | None) -> None:
            if not name:
                return
            if not name.isidentifier():
                self.notify(f'"{name}" is not a field name (letters, digits, _).', severity="error")
                return
            spec = ent.fields.get(name) or edit.make_field({"kind": "faker", "provider": "word"})
            self._apply(edit.set_override(self.design, entity, variant, name, spec), Selection(entity, name, variant))

        prompt = f"Field {variant} overrides (one of {', '.join(free[:4])}{'...' if len(free) > 4 else ''}, or a new one):"
        self.push_screen(Prompt(prompt, free[0] if free else "new_field"), done)

    def action_duplicate(self) -> None:
        entity, field, variant = self.selection
        if entity is None:
            return
        ent = self.design.entities[entity]
        if variant is not None and field is None:
            name = self._unique_name(f"{variant}_copy", ent.variants)
            self._apply(edit.set_variant(self.design, entity, name, ent.variants[variant]), Selection(entity, None, name))
        elif variant is not None:
            self.notify("A variant overrides each field once; add another variant to vary it again.", severity="warning")
        elif field is None:
            name = self._unique_name(f"{entity}_copy", self.design.entities)
            self._apply(edit.set_entity(self.design, name, ent), Selection(name))
        else:
            name = self._unique_name(f"{field}_copy", all_fields(self.design, entity))
            self._apply(edit.set_field(self.design, entity, name, ent.fields[field]), Selection(entity, name))

    def action_delete(self) -> None:
        entity, field, variant = self.selection
        if entity is None:
            return
        if variant is not None and field is None:
            self._apply(edit.remove_variant(self.design, entity, variant), Selection(entity))
        elif variant is not None:
            self._apply(edit.remove_override(self.design, entity, variant, field), Selection(entity, None, variant))
        elif field is None:
            self._apply(edit.remove_entity(self.design, entity), Selection())
        else:
            self._apply(edit.remove_field(self.design, entity, field), Selection(entity))

    def action_rename(self) -> None:
        entity, field, variant = self.selection
        if entity is None or (variant is not None and field is not None):
            return  # an override keeps the name of the field it overrides
        old = variant or field or entity

        def done(name: str | None) -> None:
            if not name or name == old:
                return
            if variant is not None:
                self._apply(edit.rename_variant(self.design, entity, variant, name), Selection(entity, None, name))
            elif field is None:
                entities = {(name if n == entity else n): e for n, e in self.design.entities.items()}
                self._apply(self.design.model_copy(update={"entities": entities}), Selection(name))
            else:
                self._apply(edit.rename_field(self.design, entity, field, name), Selection(entity, name))

        self.push_screen(Prompt(f"Rename {old} to:", old), done)

    def action_move(self, offset: int) -> None:
        entity, field, variant = self.selection
        if entity is not None and field is not None and variant is None:
            self._apply(edit.move_field(self.design, entity, field, offset))

    def action_pick_provider(self) -> None:
        entity, field, variant = self.selection
        if entity is None or field is None:
            return
        ent = self.design.entities[entity]
        spec = ent.variants[variant].fields[field] if variant else ent.fields[field]
        if spec.kind != "faker":
            self.notify("The provider picker is for faker fields.", severity="warning")
            return
        locale = self.design.design.locale if isinstance(self.design.design.locale, str) else "en_US"

        def done(provider: str | None) -> None:
            if provider:
                self.query_one(Inspector).set_provider(provider)

        self.push_screen(ProviderPicker(locale, spec.provider), done)

    @on(Inspector.PickProvider)
    def _pick(self) -> None:
        self.action_pick_provider()

    def action_save(self) -> None:
        if self.path is None:
            self.action_save_as()
            return
        self._save_to(self.path)

    def _save_to(self, path: Path) -> bool:
        if not self.design.entities:
            self.notify("Add an entity before saving: a preset needs at least one.", severity="error")
            return False
        try:
            presets.save(self.design, path)
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

        self.push_screen(Prompt("Save as:", str(self.path or f"{self.design.design.name}.toml")), done)

    def action_quit_app(self) -> None:
        if not self.dirty:
            self.exit()
            return

        def done(answer: str) -> None:
            if answer == "save":
                if self.path is None:
                    self.action_save_as()
                elif self._save_to(self.path):
                    self.exit()
            elif answer == "discard":
                self.exit()

        self.push_screen(Confirm("Save changes before quitting?", [("save", "Save"), ("discard", "Quit without saving"), ("cancel", "Cancel")]), done)

    def action_export(self) -> None:
        if not self.design.entities:
            self.notify("Nothing to export yet.", severity="warning")
            return

        def done(summary: str | None) -> None:
            if summary:  # None: closed before exporting, nothing to say
                self.notify(summary)

        self.push_screen(ExportDialog(self.design, self.export_last), done)

    def action_help(self) -> None:
        self.push_screen(Help(key_rows(self._bindings)))

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Save", "Save the preset (ctrl+s)", self.action_save)
        yield SystemCommand("Save as", "Save the preset under a new name", self.action_save_as)
        yield SystemCommand("Add entity", "A new table", self.action_add_entity)
        yield SystemCommand("Add field", "A new column in the selected entity", self.action_add_field)
        yield SystemCommand("Add variant", "A trait a share of the selected entity's rows takes", self.action_add_variant)
        yield SystemCommand("Export", "Write the dataset to SQLite, files or PostgreSQL", self.action_export)
        yield SystemCommand("Pick provider", "Choose the Faker provider of the selected field", self.action_pick_provider)
        yield SystemCommand("Keys", "Show the key bindings", self.action_help)
