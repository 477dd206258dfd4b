"""The entity tree: the design, its entities, their fields with kind and a one-line summary, and
each entity's variants with the fields they override."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...describe import field_line
from ...model import Design


class Selection(NamedTuple):
    """What a tree node stands for: the design (all None), an entity, one of its fields, one of its
    variants (`variant` set, `field` None) or a variant's override of a field (both set)."""

    entity: str | None = None
    field: str | None = None
    variant: str | None = None


class EntityTree(Tree[Selection]):
    """The tree; the single-key commands are its bindings, so typing in an input never runs them."""

    BORDER_TITLE = "Entities"
    BINDINGS = [
        Binding("a", "app.add_field", "Add field"),
        Binding("A", "app.add_entity", "Add entity"),
        Binding("v", "app.add_variant", "Add variant"),
        Binding("d", "app.duplicate", "Duplicate"),
        Binding("delete,x", "app.delete", "Delete"),
        Binding("r,f2", "app.rename", "Rename"),
        Binding("ctrl+up", "app.move(-1)", "Move up", show=False),
        Binding("ctrl+down", "app.move(1)", "Move down", show=False),
        Binding("e", "app.export", "Export"),
    ]

    class Selected(Message):
        def __init__(self, selection: Selection):
            super().__init__()
            self.selection = selection

    def __init__(self, **kwargs):
        super().__init__("design", data=Selection(), **kwargs)
        self.show_root = True
        self.guide_depth = 3
        self._by_selection: dict[Selection, TreeNode[Selection]] = {}
        self._generation = 0  # one per rebuild: a rebuild's late callbacks see a newer one and stand down
        self._rebuilding = False

    @staticmethod
    def _outline(design: Design) -> list[tuple[Selection, Selection, Text, bool]]:
        """Every node as (selection, parent's selection, label, is a leaf), in tree order."""
        rows = [(Selection(), Selection(), Text.assemble(("design ", "dim"), (design.info.name, "bold")), False)]
        for name, entity in design.entities.items():
            count = f"{entity.rows:,} rows" if entity.parent is None else f"per {entity.parent.entity}"
            rows.append((Selection(name), Selection(), Text.assemble((name, "bold"), (f"  {count}", "dim")), False))
            for fname, spec in entity.fields.items():
                rows.append(
                    (Selection(name, fname), Selection(name), Text.assemble(fname, ("  " + field_line(spec), "dim")), True)
                )
            for vname, variant in entity.variants.items():
                rows.append(
                    (
                        Selection(name, None, vname),
                        Selection(name),
                        Text.assemble(
                            ("◆ ", "magenta"), (vname, "bold magenta"), (f"  variant, {variant.weight:.0%} of rows", "dim")
                        ),
                        False,
                    )
                )
                for fname, spec in variant.fields.items():
                    only_here = fname not in entity.fields  # null in the rows outside the variant
                    rows.append(
                        (
                            Selection(name, fname, vname),
                            Selection(name, None, vname),
                            Text.assemble((fname, "italic" if only_here else ""), ("  " + field_line(spec), "dim")),
                            True,
                        )
                    )
        return rows

    def show_design(self, design: Design, selected: Selection) -> None:
        """Show a design, keeping the selection and the cursor on it.

        An edit that keeps the tree's shape (typing in an input changes a label) relabels the nodes
        in place: the cursor never moves, so nothing can be selected by accident. Otherwise the
        tree is rebuilt; the cursor passes other nodes meanwhile, and those are not selections (one
        would rebuild the inspector under the input being typed in). Rebuilds can follow each other
        faster than the screen refreshes, so each has a generation and only the newest one moves
        the cursor and reports where it landed."""
        outline = self._outline(design)
        if [row[0] for row in outline] == list(self._by_selection):
            for selection, _, label, _ in outline:
                self._by_selection[selection].set_label(label)
            if selected in self._by_selection and self.selection != selected:
                self._move_later(selected)
            return
        self._rebuilding = True
        self.clear()
        self.root.data = Selection()
        self._by_selection = {}
        for selection, parent, label, leaf in outline:
            if selection == Selection():
                self.root.set_label(label)
                self._by_selection[selection] = self.root
                continue
            owner = self._by_selection[parent]
            node = owner.add_leaf(label, data=selection) if leaf else owner.add(label, data=selection, expand=True)
            self._by_selection[selection] = node
        self.root.expand()
        self._move_later(selected)

    def _move_later(self, selected: Selection) -> None:
        self._rebuilding = True
        self._generation += 1
        self.call_after_refresh(self._move_to, self._generation, selected)

    def _move_to(self, generation: int, selected: Selection) -> None:
        if generation != self._generation:
            return
        if self.last_line >= 0:  # reading it lays the lines out: until then every node's line is -1
            self.move_cursor(self._by_selection.get(selected, self.root))
        self.call_after_refresh(self._settled, generation)

    def _settled(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._rebuilding = False
        self.post_message(self.Selected(self.selection))  # a key pressed meanwhile moved the cursor

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        if self._rebuilding or event.node is not self.cursor_node:  # a highlight overtaken by a later move
            return
        self.post_message(self.Selected(event.node.data or Selection()))

    @property
    def selection(self) -> Selection:
        node = self.cursor_node
        return node.data if node is not None and node.data else Selection()
