"""The provider picker and `designer providers` are one catalog (designer/provider_catalog.py): the
picker's description of a provider is the listing's, its first example the listing's example, and
each example is one Faker itself gives in the locale."""

from __future__ import annotations

import json

import pytest
from faker import Faker
from textual.widgets import Input, OptionList, Static

from designer.ui.screens.provider_picker import ProviderPicker

from ..writers.helpers import invoke
from .helpers import ecommerce_copy, open_app, select, settle

pytestmark = pytest.mark.tui


async def test_the_picker_shows_the_listings_descriptions_and_examples(tmp_path):
    listed = {e["provider"]: e for e in json.loads(invoke("providers", "color_name", "--format", "json").stdout)}
    assert "color_name" in listed
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await select(pilot, "users", "phone")
        await pilot.press("ctrl+o")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ProviderPicker)
        picker.query_one("#picker-search", Input).value = "color_name"
        await settle(pilot)
        options = picker.query_one(OptionList)
        first = options.get_option_at_index(0)
        assert first.id == "color_name"
        assert listed["color_name"]["description"][:60] in str(first.prompt)
        examples = str(picker.query_one("#picker-examples", Static).render()).splitlines()[1:]
    assert examples[0].strip() == listed["color_name"]["example"]
    colors = {Faker("en_US").color_name() for _ in range(2000)}  # the oracle: Faker's own values
    assert all(e.strip() in colors for e in examples) and len(examples) == 3
