"""A blog built from an empty file with the keys and forms a user has, saved, reloaded, validated
and exported by the CLI; the SQLite file (read with sqlite3, not designer) holds what was asked."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing

from textual.widgets import Input, Select, Switch

from designer import presets
from designer.ui.app import DesignerApp
from designer.ui.screens.provider_picker import ProviderPicker

from ..writers.helpers import invoke
from .helpers import select, settle

SIZE = (160, 48)


async def name_it(pilot, key: str, name: str) -> None:
    await pilot.press(key)
    await pilot.pause()
    pilot.app.screen.query_one(Input).value = name
    await pilot.press("enter")
    await settle(pilot)


async def add_entity(pilot, name: str) -> None:
    await select(pilot, None)
    await name_it(pilot, "A", name)


async def add_field(pilot, entity: str, name: str, kind: str | None = None) -> None:
    await select(pilot, entity)
    await name_it(pilot, "a", name)
    if kind is not None:
        pilot.app.query_one("#opt-kind", Select).value = kind
        await settle(pilot)


async def test_a_blog_from_an_empty_file(tmp_path):
    path = tmp_path / "blog.toml"
    app = DesignerApp.from_path(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await name_it(pilot, "A", "users")  # starts with an id sequence
        assert app.design.entities["users"].fields["id"].kind == "sequence"
        await add_field(pilot, "users", "first_name")  # the provider guessed from the name
        await add_field(pilot, "users", "family")  # a name with no provider: picked from the list
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ProviderPicker)
        await pilot.press(*"last_name")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        await add_field(pilot, "users", "email", "template")
        app.query_one("#opt-template", Input).value = "{first_name}.{family}.{id}@example.com"
        await settle(pilot)
        app.query_one("#opt-unique", Switch).value = True
        await settle(pilot)
        app.query_one("#opt-transform", Select).value = "lower"
        await settle(pilot)

        await add_entity(pilot, "posts")
        await select(pilot, "posts")
        app.query_one("#rel-parent", Select).value = "users"  # 0..5 per user is where a count starts
        await settle(pilot)
        await add_field(pilot, "posts", "user_id", "parent")
        await add_field(pilot, "posts", "title")

        await add_entity(pilot, "comments")
        await select(pilot, "comments")
        app.query_one("#rel-parent", Select).value = "posts"
        await settle(pilot)
        app.query_one("#rel-count-kind", Select).value = "poisson"
        await settle(pilot)
        await add_field(pilot, "comments", "post_id", "parent")
        await add_field(pilot, "comments", "author_id", "reference")
        app.query_one("#opt-entity", Select).value = "users"
        await settle(pilot)
        await add_field(pilot, "comments", "body")

        await select(pilot, "users")
        await name_it(pilot, "v", "admin")
        await name_it(pilot, "a", "is_admin")  # a field only admins have: true for them, null elsewhere
        app.query_one("#opt-kind", Select).value = "const"
        await settle(pilot)
        app.query_one("#opt-value", Input).value = "true"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "●" not in app.title
    design = presets.load(path)
    assert design == app.design
    users, posts, comments = (design.entities[n] for n in ("users", "posts", "comments"))
    assert users.fields["first_name"].provider == "first_name" and users.fields["family"].provider == "last_name"
    assert posts.parent.entity == "users" and (posts.parent.count.min, posts.parent.count.max) == (0, 5)
    assert comments.parent.entity == "posts" and comments.fields["author_id"].entity == "users"

    assert invoke("validate", str(path)).returncode == 0
    target = tmp_path / "blog.sqlite"
    result = invoke("export", str(path), "-o", str(target), "--rows", "users=300", "--quiet")
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(target)) as db:
        user_rows = db.execute("SELECT id, first_name, family, email FROM users").fetchall()
        post_rows = db.execute("SELECT id, user_id FROM posts").fetchall()
        comment_rows = db.execute("SELECT post_id, author_id FROM comments").fetchall()
        admins = db.execute("SELECT count(*) FROM users WHERE is_admin = 1").fetchone()[0]
    assert len(user_rows) == 300
    assert all(email == f"{first}.{family}.{uid}@example.com".lower() for uid, first, family, email in user_rows)
    assert len({email for *_, email in user_rows}) == 300
    per_user = Counter(user for _, user in post_rows)
    ids = {uid for uid, *_ in user_rows}
    assert set(per_user) <= ids and max(per_user.values()) <= 5
    assert len(ids - set(per_user)) > 0  # some users wrote nothing: 0 is a count too
    assert 2.0 < len(post_rows) / 300 < 3.0  # 0..5 evenly: 2.5 a user
    post_ids = {pid for pid, _ in post_rows}
    assert comment_rows and all(p in post_ids and a in ids for p, a in comment_rows)
    assert 10 < admins < 60  # the admin variant: 10% of 300
