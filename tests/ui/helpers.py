from __future__ import annotations

import shutil
from pathlib import Path

from designer.ui.app import PREVIEW_DELAY, DesignerApp

from ..conftest import PRESETS


async def settle(pilot) -> None:
    """Let debounce timers fire and preview workers finish: awaited, never slept on blindly.
    Then wait for every table to have measured its new rows: DataTable sizes its columns when
    its queue is idle, and a picture taken before then has columns as wide as their labels."""
    from textual.widgets import DataTable

    await pilot.pause()
    await pilot.pause(PREVIEW_DELAY + 0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    quiet = 0  # checks in a row that found nothing pending: a finished worker's message may still be queued
    for _ in range(200):
        tables = [t for screen in pilot.app.screen_stack for t in screen.query(DataTable)]
        busy = pilot.app.workers or any(t._require_update_dimensions or t._updated_cells for t in tables)
        quiet = 0 if busy else quiet + 1
        if quiet == 3:
            break
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()


def ecommerce_copy(tmp_path: Path) -> Path:
    target = tmp_path / "ecommerce.toml"
    shutil.copy(PRESETS / "ecommerce.toml", target)
    return target


def open_app(path: Path) -> DesignerApp:
    return DesignerApp.from_path(str(path))


async def select(pilot, entity: str | None, field: str | None = None, variant: str | None = None) -> None:
    """Move the tree cursor to a node, as arrow keys would."""
    from designer.ui.widgets.entity_tree import EntityTree, Selection

    await settle(pilot)  # the app's own start-up moves have happened
    tree = pilot.app.query_one(EntityTree)
    for line in range(tree.last_line + 1):
        node = tree.get_node_at_line(line)
        if node is not None and node.data == Selection(entity, field, variant):
            tree.move_cursor(node)
            break
    else:
        raise AssertionError(f"no tree node for {entity}.{field} (variant {variant})")
    await settle(pilot)
