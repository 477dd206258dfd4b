"""Template transforms: slugs keep every letter a name is spelled with."""

from __future__ import annotations

from designer import pipeline

from .helpers import design_with

NAMES = ["Weiß", "Heß", "Straße", "Œuvre", "Łódź", "Søren Ærø", "José Núñez", "Þór", "Hello, World!"]
SLUGS = ["weiss", "hess", "strasse", "oeuvre", "lodz", "soren-aero", "jose-nunez", "thor", "hello-world"]


def test_slug_spells_out_letters_without_an_ascii_decomposition():
    values = "[" + ", ".join(f'"{n}"' for n in NAMES) + "]"
    design = design_with({
        "name": f'{{ kind = "choice", values = {values}, unique = true }}',
        "slug": '{ kind = "template", template = "{name}", transform = "slug" }',
    }, rows=len(NAMES))
    frame = pipeline.generate(design, "t")
    assert dict(zip(frame["name"], frame["slug"])) == dict(zip(NAMES, SLUGS))
