"""The entity tree: the design, its entities, their fields with kind and a one-line summary."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from ...describe import field_line
from ...model import Design
from ...model.deps import all_fields

Selection = tuple[str | None, str | None]  # (entity, field); (None, None) is the design itself


class EntityTree(Tree[Selection]):
    BORDER_TITLE = "Entities"

    class Selected(Message):
        def __init__(self, entity: str | None, field: str | None):
            super().__init__()
            self.entity = entity
            self.field = field

    def __init__(self, **kwargs):
        super().__init__("design", data=(None, None), **kwargs)
        self.show_root = True
        self.guide_depth = 3

    def show_design(self, design: Design, selected: Selection) -> None:
        """Rebuild from a design, keeping the selection and the cursor on it."""
        self.clear()
        self.root.set_label(Text.assemble(("design ", "dim"), (design.design.name, "bold")))
        self.root.data = (None, None)
        target = self.root
        for name, entity in design.entities.items():
            rows = f"{entity.rows:,} rows" if entity.parent is None else f"per {entity.parent.entity}"
            node = self.root.add(Text.assemble((name, "bold"), (f"  {rows}", "dim")), data=(name, None), expand=True)
            if selected == (name, None):
                target = node
            for fname, spec in all_fields(design, name).items():
                only_variant = fname not in entity.fields
                label = Text.assemble((fname, "italic" if only_variant else ""), ("  " + field_line(spec), "dim"))
                leaf = node.add_leaf(label, data=(name, fname))
                if selected == (name, fname):
                    target = leaf
        self.root.expand()
        self.call_after_refresh(self._move_to, target)

    def _move_to(self, node) -> None:
        self.move_cursor(node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        entity, field = event.node.data or (None, None)
        self.post_message(self.Selected(entity, field))

    @property
    def selection(self) -> Selection:
        node = self.cursor_node
        return node.data if node is not None and node.data else (None, None)
