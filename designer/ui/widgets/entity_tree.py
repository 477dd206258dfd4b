"""The entity tree: the design, its entities, their fields with kind and a one-line summary, and
each entity's variants with the fields they override."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree

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
        self._rebuilding = False

    def show_design(self, design: Design, selected: Selection) -> None:
        """Rebuild from a design, keeping the selection and the cursor on it. The cursor passes other
        nodes while the tree is rebuilt: those are not selections (one would rebuild the inspector
        under the input being typed in)."""
        self._rebuilding = True
        self.clear()
        self.root.set_label(Text.assemble(("design ", "dim"), (design.design.name, "bold")))
        self.root.data = Selection()
        nodes = {Selection(): self.root}
        for name, entity in design.entities.items():
            rows = f"{entity.rows:,} rows" if entity.parent is None else f"per {entity.parent.entity}"
            node = self.root.add(Text.assemble((name, "bold"), (f"  {rows}", "dim")), data=Selection(name), expand=True)
            nodes[node.data] = node
            for fname, spec in entity.fields.items():
                leaf = node.add_leaf(Text.assemble(fname, ("  " + field_line(spec), "dim")), data=Selection(name, fname))
                nodes[leaf.data] = leaf
            for vname, variant in entity.variants.items():
                label = Text.assemble(("◆ ", "magenta"), (vname, "bold magenta"), (f"  variant, {variant.weight:.0%} of rows", "dim"))
                branch = node.add(label, data=Selection(name, None, vname), expand=True)
                nodes[branch.data] = branch
                for fname, spec in variant.fields.items():
                    only_here = fname not in entity.fields  # null in the rows outside the variant
                    label = Text.assemble((fname, "italic" if only_here else ""), ("  " + field_line(spec), "dim"))
                    leaf = branch.add_leaf(label, data=Selection(name, fname, vname))
                    nodes[leaf.data] = leaf
        self.root.expand()
        self.call_after_refresh(self._move_to, nodes.get(selected, self.root))

    def _move_to(self, node) -> None:
        self.move_cursor(node)
        self.call_after_refresh(self._settled)

    def _settled(self) -> None:
        self._rebuilding = False
        self.post_message(self.Selected(self.selection))  # a key pressed meanwhile moved the cursor

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        if self._rebuilding:
            return
        self.post_message(self.Selected(event.node.data or Selection()))

    @property
    def selection(self) -> Selection:
        node = self.cursor_node
        return node.data if node is not None and node.data else Selection()
