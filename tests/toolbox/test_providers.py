"""`designer providers`: the picker's catalog, examples Faker itself could give, the path and cost."""

from __future__ import annotations

import json

import pytest
from faker import Faker

from designer import presets
from designer.engine.fakers.cost import field_path
from designer.model.catalog import REFUSED
from designer.model.providers import provider_names
from designer.provider_catalog import example_values

from ..writers.helpers import invoke


def listing(*args: str) -> list[dict]:
    result = invoke("providers", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fakers_own(provider: str, locale: str, n: int = 3000) -> set[str]:
    """Every value Faker's own generator gives in n draws (a small domain is covered many times)."""
    fake = Faker(locale)
    fake.seed_instance(12345)
    return {str(getattr(fake, provider)()) for _ in range(n)}


def test_the_listing_is_the_pickers_catalog():
    from designer.ui.screens.provider_picker import ProviderPicker

    entries = listing("--locale", "de_DE")
    assert [e["provider"] for e in entries] == ProviderPicker("de_DE").names == list(provider_names("de_DE"))
    assert not {e["provider"] for e in entries} & set(REFUSED)
    for e in entries:  # the picker's ⚡/🐢 mark is the listing's column / per row
        assert e["runs"] == ("column" if field_path(e["provider"], None, "de_DE") == "vectorized" else "per row")


@pytest.mark.parametrize(
    "provider,locale",
    [
        ("day_of_week", "fr_FR"),
        ("month_name", "de_DE"),
        ("country_code", "en_US"),
        ("currency_code", "ja_JP"),
        ("color_name", "en_US"),
    ],
)
def test_examples_are_values_faker_itself_gives_in_the_locale(provider, locale):
    shown = listing(provider, "--locale", locale)[0]  # the name itself first
    own = fakers_own(provider, locale)
    assert shown["provider"] == provider and shown["example"] in own
    assert shown["example"] == example_values(provider, locale, 1)[0]  # drawn by designer's engine, not by Faker
    assert set(example_values(provider, locale, 200, seed=3)) <= own  # and many more drawn the same way


def test_a_first_name_comes_from_the_locales_own_list():
    import faker.providers.person.de_DE as person
    import faker.providers.person.ja_JP as japanese

    example = listing("first_name", "--locale", "de_DE")[0]["example"]
    assert example in set(person.Provider.first_names) and example not in set(japanese.Provider.first_names)


def test_arguments_are_the_ones_a_preset_may_pass(write_preset):
    sentence = listing("sentence")[0]
    assert {"nb_words", "variable_nb_words"} <= set(sentence["arguments"])
    assert sentence["arguments"]["nb_words"] == "6"
    path = write_preset(
        '[entities.t]\nrows = 3\n[entities.t.fields]\nid = { kind = "sequence" }\n'
        's = { kind = "faker", provider = "sentence", args = { nb_words = 3, variable_nb_words = false } }\n'
    )
    presets.load(path)


def test_search_matches_names_first_then_descriptions():
    names = [e["provider"] for e in listing("email")]
    assert names[0] == "email" and all("email" in n for n in names[:5])
    costs = [e for e in listing("email") if e["micros_per_value"] is not None]
    assert costs and all(e["micros_per_value"] > 0 for e in costs)
    assert all(e["faker_calls_per_value"] >= 1 for e in costs if e["runs"] == "per row")
    assert all(e["faker_calls_per_value"] == 0 for e in costs if e["runs"] == "column")


def test_the_table_names_each_match():
    result = invoke("providers", "day_of_week", "--locale", "fr_FR")
    assert result.returncode == 0 and "day_of_week" in result.stdout and "fr_FR" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--locale", "fr_XX"], 'designer: --locale "fr_XX": Faker has no such locale; did you mean'),
        (["zzzqqq"], 'designer: no provider in en_US matches "zzzqqq"'),
        (["--format", "yaml"], 'designer: --format "yaml": use table or json'),
    ],
)
def test_bad_input_is_one_line_and_status_2(args, message):
    result = invoke("providers", *args)
    assert result.returncode == 2 and result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
