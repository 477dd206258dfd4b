"""Mixed locales: each row takes one locale, shared by every faker field of the entity."""

from __future__ import annotations

import importlib

from designer import pipeline, presets

LOCALES = {"en_US": "United States", "de_DE": "Germany", "fr_FR": "France"}


def names_of(locale: str) -> tuple[set[str], set[str]]:
    person = importlib.import_module(f"faker.providers.person.{locale}").Provider
    return set(person.first_names), set(person.last_names)


def people(extra_field: str = "", rows: int = 3000, field_locale: str = ""):
    text = f"""
format = 1
[design]
name = "people"
seed = 3
locale = {{ en_US = 2, de_DE = 1, fr_FR = 1 }}
[entities.people]
rows = {rows}
[entities.people.fields]
first_name = {{ kind = "faker", provider = "first_name" }}
last_name  = {{ kind = "faker", provider = "last_name" }}
{extra_field}
country    = {{ kind = "faker", provider = "current_country"{field_locale} }}
"""
    return pipeline.generate(presets.loads(text), "people")


def test_a_row_takes_one_locale_for_all_its_faker_fields():
    frame = people()
    by_country = {country: locale for locale, country in LOCALES.items()}
    lists = {locale: names_of(locale) for locale in LOCALES}
    mismatched = 0
    for first, last, country in frame.select("first_name", "last_name", "country").iter_rows():
        firsts, lasts = lists[by_country[country]]
        mismatched += first not in firsts or last not in lasts
    # independent draws per field would put about half the rows' names in another locale
    assert mismatched == 0
    shares = frame["country"].value_counts(normalize=True)
    share = dict(zip(shares["country"], shares["proportion"], strict=True))
    assert abs(share["United States"] - 0.5) < 0.04
    assert abs(share["Germany"] - 0.25) < 0.035 and abs(share["France"] - 0.25) < 0.035


def test_adding_a_faker_field_leaves_the_others_unchanged():
    before = people()
    after = people(extra_field='city = { kind = "faker", provider = "city" }')
    assert before["first_name"].equals(after["first_name"])
    assert before["country"].equals(after["country"])


def test_a_field_with_its_own_locale_ignores_the_mix():
    frame = people(field_locale=', locale = "fr_FR"')
    assert frame["country"].unique().to_list() == ["France"]
    assert frame["last_name"].is_in(list(names_of("de_DE")[1])).any()
