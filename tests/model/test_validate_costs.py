"""`designer validate` names the fields that call Faker once per value, tokens included, with their
measured cost, and only those."""

from __future__ import annotations

import re

from click.testing import CliRunner

from designer.cli import main

PEOPLE = """
[design]
name = "people"

[entities.people]
rows = 100

[entities.people.fields]
name = { kind = "faker", provider = "name" }
home = { kind = "faker", provider = "address", locale = "ja_JP" }
agent = { kind = "faker", provider = "user_agent" }
pooled = { kind = "faker", provider = "user_agent", pool = 50 }
"""


def test_per_row_fields_are_named_with_their_cost(write_preset):
    result = CliRunner().invoke(main, ["validate", str(write_preset(PEOPLE))])
    assert result.exit_code == 0, result.output
    named = dict(re.findall(r"people\.(\w+) \(([^)]*)\): [\d.]+ µs a value, [\d.]+ Faker calls", result.output))
    # ja_JP's address expands its formats a column at a time, but its tokens call Faker per value
    assert named == {"home": "address, ja_JP", "agent": "user_agent, en_US"}, result.output


def test_the_cost_counts_faker_calls_a_value():
    from designer.engine.fakers.cost import cost_of

    assert cost_of("name", None, "en_US").path == "vectorized"
    assert cost_of("name", None, "en_US").calls == 0
    home = cost_of("address", None, "ja_JP")
    assert home.path == "per-row" and home.calls >= 2  # several tokens a value, each one Faker call
    assert cost_of("user_agent", None, "en_US").calls >= 1


def test_a_field_whose_args_hold_lists_is_measured_too(write_preset):
    """TOML args hold lists (`value_types`, `ext_word_list`): the field is still named with its cost."""
    text = (
        PEOPLE.split("[entities.people.fields]")[0]
        + """[entities.people.fields]
nums = { kind = "faker", provider = "pylist", args = { nb_elements = 3, value_types = ["int"] } }
"""
    )
    result = CliRunner().invoke(main, ["validate", str(write_preset(text))])
    assert result.exit_code == 0, result.output
    assert re.search(r"people\.nums \(pylist, en_US\): [\d.]+ µs a value, [\d.]+ Faker calls", result.output), result.output
