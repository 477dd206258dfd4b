"""Write assets/tui.svg, the README's picture of the TUI: the ecommerce preset with users.age
selected, at 120x30 and a fixed seed, through Textual's own screenshot support.

    .venv/bin/python scripts/screenshot.py
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from designer.ui.app import PREVIEW_DELAY, DesignerApp
from designer.ui.widgets.entity_tree import EntityTree, Selection

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    os.chdir(ROOT)  # the header shows the path as given: presets/ecommerce.toml (the app never saves here)
    app = DesignerApp.from_path("presets/ecommerce.toml")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(PREVIEW_DELAY)
        tree = app.query_one(EntityTree)
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            if node is not None and node.data == Selection("users", "age"):
                tree.move_cursor(node)
        await pilot.pause(PREVIEW_DELAY + 0.1)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)  # the statistics fit their bars to the panel's size after a refresh
        svg = app.export_screenshot(title="designer edit presets/ecommerce.toml")
    (ROOT / "assets" / "tui.svg").write_text(svg)
    print(f"wrote assets/tui.svg ({len(svg):,} bytes)")


if __name__ == "__main__":
    asyncio.run(main())
