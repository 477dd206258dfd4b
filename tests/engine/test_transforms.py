"""Template transforms: slugs keep every letter a name is spelled with."""

from __future__ import annotations

from designer import pipeline, presets

from .helpers import design_with

NAMES = ["Weiß", "Heß", "Straße", "Œuvre", "Łódź", "Søren Ærø", "José Núñez", "Þór", "Hello, World!"]
SLUGS = ["weiss", "hess", "strasse", "oeuvre", "lodz", "soren-aero", "jose-nunez", "thor", "hello-world"]


def test_slug_spells_out_letters_without_an_ascii_decomposition():
    values = "[" + ", ".join(f'"{n}"' for n in NAMES) + "]"
    design = design_with(
        {
            "name": f'{{ kind = "choice", values = {values}, unique = true }}',
            "slug": '{ kind = "template", template = "{name}", transform = "slug" }',
        },
        rows=len(NAMES),
    )
    frame = pipeline.generate(design, "t")
    assert dict(zip(frame["name"], frame["slug"], strict=True)) == dict(zip(NAMES, SLUGS, strict=True))


def test_slugs_of_names_in_every_script_are_never_empty():
    """Issue 11.10: `{first_slug}.{last_slug}@example.com` over en_US, ja_JP and fr_FR gave `.@example.com` in a third
    of the rows: kanji and kana had no ASCII decomposition and were dropped."""
    mixed = presets.loads("""
format = 1
[design]
name = "t"
seed = 7
locale = ["en_US", "ja_JP", "fr_FR"]
[entities.t]
rows = 3000
[entities.t.fields]
first_name = { kind = "faker", provider = "first_name" }
last_name = { kind = "faker", provider = "last_name" }
first_slug = { kind = "template", template = "{first_name}", transform = "slug" }
last_slug = { kind = "template", template = "{last_name}", transform = "slug" }
email = { kind = "template", template = "{first_slug}.{last_slug}@example.com" }
""")
    frame = pipeline.generate(mixed, "t")
    assert frame["email"].str.contains(r"^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*@example\.com$").all()
    assert not frame["first_name"].str.contains(r"^[\x00-\x7f]*$").all()  # the Japanese names are there


SCRIPTS = {  # one name per script, and its slug: anyascii's transliteration, lower-cased
    "Анна Иванова": "anna-ivanova",  # Cyrillic
    "Ελένη Παππά": "eleni-pappa",  # Greek
    "佐藤 太郎": "zuoteng-tailang",  # Han: the Mandarin reading, as anyascii gives it
    "さくら": "sakura",  # kana
    "김민준": "gimminjun",  # hangul
    "محمد علي": "mhmd-ly",  # Arabic: consonants, as written (ʿayn is an apostrophe)
    "हिन्दी": "hindi",  # Devanagari
    "!!!": "u0021-u0021-u0021",  # nothing to spell: the code points, never ""
}


def test_each_script_has_its_documented_slug():
    from anyascii import anyascii

    design = design_with(
        {
            "name": '{ kind = "choice", values = [' + ", ".join(f'"{n}"' for n in SCRIPTS) + "], unique = true }",
            "slug": '{ kind = "template", template = "{name}", transform = "slug" }',
        },
        rows=len(SCRIPTS),
    )
    frame = pipeline.generate(design, "t")
    assert dict(zip(frame["name"], frame["slug"], strict=True)) == SCRIPTS
    # the oracle for the letters is anyascii itself, outside our code
    for name, expected in SCRIPTS.items():
        if name != "!!!":
            words = ["".join(c for c in w if c.isascii() and c.isalnum()) for w in anyascii(name).lower().split()]
            assert "-".join(words) == expected
