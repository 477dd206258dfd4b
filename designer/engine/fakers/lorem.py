"""Faker's lorem a column at a time: words, sentence, paragraph and text built as Faker builds them
(faker/providers/lorem/__init__.py), with each locale's word list, word connector ("" in ja_JP and
zh_CN) and sentence punctuation ("。", "।").

Counts follow Faker's randomize_nb_elements: int(nb * k / 100) for k uniform in 60..140, at least 1
(3..8 words for 6). `text` keeps whole units (words under 25 characters, sentences under 100,
paragraphs joined by newlines above) while they fit, as Faker's loop does: units are drawn ahead
and the row keeps those before the one that reaches the limit. Where Faker starts over because the
first unit alone reaches it, the row skips that unit: the same as a fresh start, the units being
independent.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import NamedTuple

import numpy as np
import polars as pl

from .drawers import from_list
from .faithful import mirrors
from .registry import provider
from .vocab import Vocab, owner, vocab

provider("word")(from_list("word", "word_list"))
for _name in ("words", "sentence", "paragraph", "text"):
    mirrors(_name, "faker.providers.lorem")


class Style(NamedTuple):
    """A locale's lorem: its words, the same words as str.title() gives them (a sentence's first
    word), its word connector and its sentence punctuation."""

    words: Vocab
    titled: pl.Series
    connector: str
    punctuation: str


@cache
def _style(locale: str) -> Style | None:
    words = vocab(locale, "word", "word_list")
    if words is None:
        return None
    lorem = owner(locale, "sentence")
    titled = pl.Series([w.title() for w in words.values.to_list()], dtype=pl.String)
    return Style(words, titled, lorem.word_connector, lorem.sentence_punctuation)


def randomized(rng: np.random.Generator, n: int, nb: int, variable: bool) -> np.ndarray:
    """Faker's randomize_nb_elements(nb, min=1) for n rows, or nb itself."""
    if not variable:
        return np.full(n, nb)
    return np.maximum(1, nb * rng.integers(60, 141, n) // 100)


def _joined(rows: np.ndarray, parts: pl.Series, n: int, separator: str) -> pl.Series:
    """Row i: the parts whose entry in `rows` is i, in order, joined; "" for a row without any."""
    frame = pl.DataFrame({"row": rows, "p": parts})
    joined = frame.group_by("row", maintain_order=True).agg(pl.col("p").str.join(separator))
    out = pl.Series([""] * n, dtype=pl.String)
    return out.scatter(joined["row"], joined["p"]) if len(joined) else out


def _word_rows(style: Style, rng: np.random.Generator, counts: np.ndarray, titled: bool, json: bool = False) -> pl.Series:
    words, title, connector, _ = style
    index = words.indexes(rng, int(counts.sum()))
    drawn = words.values.gather(pl.Series(index))
    if titled:  # a sentence's first word, title-cased as Faker's words[0].title()
        firsts = np.cumsum(counts) - counts
        firsts = firsts[counts > 0]
        drawn = drawn.scatter(firsts, title.gather(pl.Series(index[firsts])))
    if json:  # each word a JSON string: its backslashes and quotes escaped
        drawn = '"' + drawn.str.replace_all("\\", "\\\\", literal=True).str.replace_all('"', '\\"', literal=True) + '"'
        return "[" + _joined(np.repeat(np.arange(len(counts)), counts), drawn, len(counts), ",") + "]"
    return _joined(np.repeat(np.arange(len(counts)), counts), drawn, len(counts), connector)


def _nb(args: dict, key: str, default: int) -> int:
    return int(args.get(key, default))


@provider("words", ("nb",))
def words(locale, args, rng, n):
    style = _style(locale)
    return None if style is None else _word_rows(style, rng, np.full(n, _nb(args, "nb", 3)), titled=False, json=True)


def sentences(style: Style, rng: np.random.Generator, n: int, nb_words: int = 6, variable: bool = True) -> pl.Series:
    if nb_words <= 0:
        return pl.Series([""] * n, dtype=pl.String)
    counts = randomized(rng, n, nb_words, variable)
    return _word_rows(style, rng, counts, titled=True) + style.punctuation


@provider("sentence", ("nb_words", "variable_nb_words"))
def sentence(locale, args, rng, n):
    style = _style(locale)
    if style is None:
        return None
    return sentences(style, rng, n, _nb(args, "nb_words", 6), bool(args.get("variable_nb_words", True)))


def paragraphs(style: Style, rng: np.random.Generator, n: int, nb_sentences: int = 3, variable: bool = True) -> pl.Series:
    if nb_sentences <= 0:
        return pl.Series([""] * n, dtype=pl.String)
    counts = randomized(rng, n, nb_sentences, variable)
    each = sentences(style, rng, int(counts.sum()))
    return _joined(np.repeat(np.arange(n), counts), each, n, style.connector)


@provider("paragraph", ("nb_sentences", "variable_nb_sentences"))
def paragraph(locale, args, rng, n):
    style = _style(locale)
    if style is None:
        return None
    return paragraphs(style, rng, n, _nb(args, "nb_sentences", 3), bool(args.get("variable_nb_sentences", True)))


def _text_ok(args: dict) -> bool:
    limit = args.get("max_nb_chars", 200)
    return isinstance(limit, int) and not isinstance(limit, bool) and limit >= 5  # below 5 Faker refuses


@provider("text", ("max_nb_chars",), accepts=_text_ok)
def text(locale, args, rng, n):
    style = _style(locale)
    if style is None:
        return None
    limit = int(args.get("max_nb_chars", 200))
    words, _, connector, punctuation = style
    if limit < 25:
        out = _fill(limit, lambda m: words.draw(rng, m), connector, rng, n)
        return out.str.slice(0, 1).str.to_uppercase() + out.str.slice(1) + punctuation
    if limit < 100:
        return _fill(limit, lambda m: sentences(style, rng, m), connector, rng, n)
    return _fill(limit, lambda m: paragraphs(style, rng, m), "\n", rng, n)


def _fill(limit: int, units: Callable[[int], pl.Series], joiner: str, rng: np.random.Generator, n: int) -> pl.Series:
    """Per row, Faker's loop: units joined by `joiner` while the length stays under `limit`, the unit
    that reaches it dropped; a first unit that alone reaches it skipped (Faker's start over)."""
    size, started, done = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    kept_rows, kept = [], []
    batch = 4
    while not done.all():
        rows = np.flatnonzero(~done)
        drawn = units(len(rows) * batch)
        lengths = drawn.str.len_chars().to_numpy().reshape(len(rows), batch)
        take = np.zeros((len(rows), batch), dtype=bool)
        r_size, r_started, r_done = size[rows], started[rows], done[rows]
        for j in range(batch):  # the rows side by side, their units one after another
            grown = r_size + lengths[:, j] + np.where(r_started, len(joiner), 0)
            start = ~r_done & ~r_started & (lengths[:, j] < limit)
            finish = ~r_done & r_started & (grown >= limit)
            take[:, j] = start | (~r_done & r_started & ~finish)
            r_size = np.where(take[:, j], grown, r_size)
            r_started |= start
            r_done |= finish
        size[rows], started[rows], done[rows] = r_size, r_started, r_done
        kept_rows.append(np.repeat(rows, batch)[take.ravel()])
        kept.append(drawn.filter(pl.Series(take.ravel())))
    return _joined(np.concatenate(kept_rows), pl.concat(kept), n, joiner)
