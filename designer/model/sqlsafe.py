"""Expressions and aggregates are data, not code: an allow-list checked before polars sees the text.

polars SQL runs what it is given: `x IN (SELECT * FROM read_csv('/etc/passwd'))` reads the file
(and its error shows the first line), `read_csv('http://...')` makes a request, `now()` reads the
clock, `lpad(x, 100000000)` fills the memory. So sqlglot parses the text first and every node of
the tree must be one this module allows; a refusal names the construct, never data.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeGuard

import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

from ..errors import did_you_mean

# polars SQL reads strings as PostgreSQL does: '' inside quotes, no backslash escapes, $$ quoting, ::.
DIALECT = "postgres"
MAX_TEXT = 10_000  # characters lpad/rpad (and literals) may add to a value: 16,384 rows × 10k = 160 MB a block
MAX_GROWTH = 32  # a value is at most this many times its longest input (concat of 32 fields, nested replace)

# The functions, by the name written, as the guide lists them (section 4, "Expressions").
SCALAR = {
    "text": "bit_length char_length character_length concat concat_ws ends_with initcap left length lower "
    "lpad ltrim normalize octet_length position regexp_like replace reverse right rpad rtrim "
    "split_part starts_with strpos substr substring trim upper",
    "math": "abs cbrt ceil ceiling degrees exp floor greatest least ln log10 log1p log2 mod pi pow power "
    "radians round sign sqrt trunc acos asin atan atan2 cos cot sin tan",
    "dates and times": "date date_part extract strftime strptime timestamp",
    "nulls and conditions": "coalesce if ifnull nullif",
    "casts": "cast try_cast",
}
AGGREGATE = {
    "aggregates": "avg corr count covar covar_pop covar_samp first last max median min quantile_cont "
    "quantile_disc stddev stddev_samp stdev string_agg sum var var_samp variance",
}
_SCALAR = frozenset(" ".join(SCALAR.values()).split())
_AGGREGATE = frozenset(" ".join(AGGREGATE.values()).split())
CLOCK = frozenset(
    [
        "now",
        "current_date",
        "current_time",
        "current_timestamp",
        "localtime",
        "localtimestamp",
        "transaction_timestamp",
        "statement_timestamp",
        "clock_timestamp",
        "timeofday",
        "today",
        "getdate",
        "sysdate",
    ]
)
RANDOM = frozenset(["random", "rand", "uniform", "gen_random_uuid", "uuid"])
_GROWS = {"lpad", "rpad"}

# Syntax that computes from the row and nothing else; functions are checked by name below.
_SYNTAX = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Null,
    exp.Boolean,
    exp.Paren,
    exp.Neg,
    exp.Not,
    exp.And,
    exp.Or,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.DPipe,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.NullSafeEQ,
    exp.NullSafeNEQ,
    exp.Is,
    exp.Between,
    exp.In,
    exp.Like,
    exp.ILike,
    exp.Case,
    exp.Cast,
    exp.TryCast,
    exp.DataType,
    exp.DataTypeParam,
    exp.Interval,
    exp.Extract,
)
_TYPES = frozenset(
    [
        "TINYINT",
        "SMALLINT",
        "INT",
        "BIGINT",
        "UTINYINT",
        "USMALLINT",
        "UINT",
        "UBIGINT",
        "FLOAT",
        "DOUBLE",
        "DECIMAL",
        "VARCHAR",
        "CHAR",
        "TEXT",
        "BOOLEAN",
        "DATE",
        "TIME",
        "TIMESTAMP",
        "DATETIME",
        "INTERVAL",
    ]
)
_NAMED = {
    exp.Select: "a subquery (SELECT)",
    exp.Subquery: "a subquery (SELECT)",
    exp.Exists: "EXISTS",
    exp.Table: "a table",
    exp.Window: "a window (OVER)",
    exp.Filter: "FILTER",
    exp.Alias: "an alias (AS)",
    exp.Star: "*",
    exp.Array: "an array",
    exp.Placeholder: "a placeholder",
    exp.Parameter: "a parameter",
    exp.Order: "ORDER BY",
    exp.Distinct: "DISTINCT",
    exp.Dot: "a dotted name",
}
_PLAIN_TOKENS = {TokenType.STRING: "'", TokenType.IDENTIFIER: '"'}
_TEXT_HINT = "; write text as 'text'"
_ODD_TOKENS = {
    TokenType.HEREDOC_STRING: "a $$-quoted string" + _TEXT_HINT,
    TokenType.RAW_STRING: "a raw string" + _TEXT_HINT,
    TokenType.BYTE_STRING: "an E'' string" + _TEXT_HINT,
    TokenType.NATIONAL_STRING: "an N'' string" + _TEXT_HINT,
    TokenType.HEX_STRING: "an X'' string" + _TEXT_HINT,
    TokenType.BIT_STRING: "a B'' string" + _TEXT_HINT,
    TokenType.UNICODE_STRING: "a U&'' string" + _TEXT_HINT,
    TokenType.PARAMETER: "a parameter ($1)",
    TokenType.PLACEHOLDER: "a placeholder (?)",
    TokenType.SEMICOLON: "a second statement (;); give one expression",
}
# Calls sqlglot parses without noting the name's place in the text: the name polars knows them by.
_SPELLED = {exp.StrPosition: "position", exp.GroupConcat: "string_agg"}
# Keywords a ( may follow without a call: x IN (1), NOT (a), THEN (b), CAST(x AS decimal(10, 2)).
_BEFORE_PAREN = {
    TokenType.IN,
    TokenType.NOT,
    TokenType.AND,
    TokenType.OR,
    TokenType.CASE,
    TokenType.WHEN,
    TokenType.THEN,
    TokenType.ELSE,
    TokenType.BETWEEN,
    TokenType.LIKE,
    TokenType.ILIKE,
    TokenType.DISTINCT,
    TokenType.FROM,
    TokenType.FOR,
    TokenType.IS,
}
_KEYWORD_CALLS = {
    TokenType.OVER: "a window (OVER)",
    TokenType.VALUES: "VALUES",
    TokenType.TABLE: "a table",
    TokenType.EXISTS: "EXISTS",
    TokenType.SELECT: "a subquery (SELECT)",
}
_TYPE_CALLS = frozenset(["decimal", "numeric", "varchar", "char", "character"])
_KEYWORDS = frozenset(["current_date", "current_time", "current_timestamp", "localtime", "localtimestamp"])  # no ()


class Refused(ValueError):
    """The expression uses something designer does not run."""


def allowed_names(aggregate: bool) -> frozenset[str]:
    return _SCALAR | _AGGREGATE if aggregate else _SCALAR


@lru_cache(maxsize=1024)
def refusal(text: str, aggregate: bool = False) -> str | None:
    """Why designer will not run this expression, in a few words; None when it may."""
    what = "aggregate" if aggregate else "expression"
    if not text.strip():
        return f"{what} is empty"
    try:
        problem = _tokens(text, aggregate)
        if problem is None:
            trees = sqlglot.parse(text, read=DIALECT)
            if len(trees) != 1 or trees[0] is None:
                return f"{what} must be one expression"
            problem = _tree(trees[0], text, aggregate) or _size(trees[0])
    except sqlglot.errors.SqlglotError as error:
        reason = " ".join(str(error).split("\n")[0].split())
        return f'cannot parse {what} "{" ".join(text.split())}": {reason}'
    except RecursionError:
        return f"{what} is nested too deeply"
    return f"{what} {problem}" if problem else None


def check(text: str, aggregate: bool = False) -> str:
    """The text, or Refused with the reason."""
    if (why := refusal(text, aggregate)) is not None:
        raise Refused(why)
    return text


def _tokens(text: str, aggregate: bool) -> str | None:
    """Every character is in a plain token or is white space: no comment, no odd quoting that
    sqlglot and polars might read differently (a string to one, code to the other); and every word
    called with ( is an allowed function, whatever tree sqlglot builds around it."""
    position, before = 0, None
    for token in sqlglot.Dialect.get_or_raise(DIALECT).tokenize(text):
        if text[position : token.start].strip():
            return "has a SQL comment; write comments in the TOML file (# ...)"
        if token.token_type in _ODD_TOKENS:
            return f"uses {_ODD_TOKENS[token.token_type]}"
        quote = _PLAIN_TOKENS.get(token.token_type)
        if quote and not (text[token.start] == quote == text[token.end]):
            return "uses an unusual quoted string" + _TEXT_HINT
        if token.token_type == TokenType.L_PAREN and before is not None and (problem := _called(before, aggregate)):
            return problem
        position, before = token.end + 1, token
    return "has a SQL comment; write comments in the TOML file (# ...)" if text[position:].strip() else None


def _called(token, aggregate: bool) -> str | None:
    """Why the word before a ( may not be called; None for an allowed function or a keyword's (."""
    if token.token_type == TokenType.IDENTIFIER:
        return f'calls "{token.text}"(), a quoted name; call functions by their plain name'
    if token.token_type in _KEYWORD_CALLS:
        return f"uses {_KEYWORD_CALLS[token.token_type]}, which designer does not allow"
    word = token.text.lower()
    if not word.replace("_", "").isalnum() or token.token_type in _BEFORE_PAREN or word in _TYPE_CALLS:
        return None
    return _refused_name(word, aggregate)


def _tree(tree: exp.Expr, text: str, aggregate: bool) -> str | None:
    refused: list[str] = []
    for node in tree.walk():
        problem = _node(node, text, aggregate)
        if problem and problem.startswith("uses") and "()" in problem:
            return problem  # a function is the telling part (read_csv() inside a subquery)
        if problem:
            refused.append(problem)
    return refused[0] if refused else None


def _node(node: exp.Expr, text: str, aggregate: bool) -> str | None:
    parent = node.parent
    if isinstance(node, exp.Column) and any(node.args.get(k) for k in ("table", "db", "catalog")):
        return "uses a qualified name (table.column); name the field alone"
    if isinstance(node, exp.In) and any(node.args.get(k) for k in ("query", "unnest", "field")):
        return "uses IN over a query; IN takes a list of values: x IN (1, 2)"
    if isinstance(node, exp.In) and not all(_literal(v) for v in node.expressions):
        return "uses IN over something other than values; IN takes a list of values: x IN (1, 2)"
    if isinstance(node, exp.DataType) and (
        node.this.name not in _TYPES or node.expressions and not all(isinstance(p, exp.DataTypeParam) for p in node.expressions)
    ):
        return f"casts to {node.sql(DIALECT)}, which designer does not allow"
    if isinstance(node, exp.Var) and isinstance(parent, (exp.Interval, exp.Extract)):
        return None  # INTERVAL '1' HOUR, EXTRACT(year FROM x)
    if aggregate and isinstance(node, (exp.Star, exp.Distinct)) and isinstance(parent, exp.Count):
        return None  # count(*), count(DISTINCT x)
    if isinstance(node, _SYNTAX):
        return None
    if isinstance(node, exp.Func):
        return _function(node, text, aggregate)
    named = next((label for cls, label in _NAMED.items() if isinstance(node, cls)), type(node).__name__)
    return f"uses {named}, which designer does not allow"


def _function(node: exp.Func, text: str, aggregate: bool) -> str | None:
    name = written_name(node, text)
    if (problem := _refused_name(name, aggregate)) is not None:
        return problem
    if name in _GROWS:
        length = node.args.get("expression")
        if not (isinstance(length, exp.Literal) and length.is_int):
            return f"uses {name}() with a length that is not a number; give it as a number"
        if int(length.this) > MAX_TEXT:
            return f"uses {name}() with length {int(length.this):,}, above designer's limit of {MAX_TEXT:,} characters"
    if isinstance(node, exp.Replace):
        pattern, by = node.args.get("expression"), node.args.get("replacement")
        if not (_is_text(pattern) and _is_text(by) and pattern.this):
            return "uses replace() with a pattern or replacement that is not text; give both as 'text' (the pattern not empty)"
    return None


def _refused_name(name: str, aggregate: bool) -> str | None:
    allowed = allowed_names(aggregate)
    if name in CLOCK:
        call = name if name in _KEYWORDS else f"{name}()"
        return (
            f"uses {call}, which reads the machine's clock (the rows would change from day to day); "
            "use a datetime field, whose start and end count from reference_time"
        )
    if name in RANDOM:
        return f"uses {name}(), which is not seeded; use a uniform or choice field"
    if name not in allowed:
        hint = (
            " in an expression (aggregates go in an aggregate field)"
            if name in _AGGREGATE
            else (did_you_mean(name, allowed) or "; allowed: the functions listed in the guide (section 4)")
        )
        return f"uses {name}(), which designer does not allow{hint}"
    return None


def written_name(node: exp.Func, text: str) -> str:
    """The function's name as the user wrote it (sqlglot maps now() to CURRENT_TIMESTAMP)."""
    meta = node.meta
    if isinstance(meta.get("start"), int) and isinstance(meta.get("end"), int):
        written = text[meta["start"] : meta["end"] + 1]
        if written.replace("_", "").isalnum():
            return written.lower()
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    if type(node) in _SPELLED:
        return _SPELLED[type(node)]
    names = [n.lower() for n in node.sql_names()] if hasattr(node, "sql_names") else []
    return next((n for n in names if n in _SCALAR | _AGGREGATE), names[0] if names else type(node).__name__.lower())


def _is_text(node: object) -> TypeGuard[exp.Literal]:
    return isinstance(node, exp.Literal) and node.is_string


def _literal(node: exp.Expr) -> bool:
    if isinstance(node, exp.Neg):
        node = node.this
    return isinstance(node, (exp.Literal, exp.Null, exp.Boolean))


def _size(tree: exp.Expr) -> str | None:
    """Refuses text that would grow past the limits: (k, c) bounds a value's length by k times the
    longest input plus c characters."""
    k, c = _bound(tree)
    if c == float("inf"):
        return "can build text of any length"
    if c > MAX_TEXT:
        return f"can build text of {int(c):,} characters, above designer's limit of {MAX_TEXT:,}"
    if k > MAX_GROWTH:
        return f"can build text {int(k):,} times as long as its inputs, above designer's limit of {MAX_GROWTH}"
    return None


_UNBOUNDED = (float("inf"), float("inf"))


def _bound(node: exp.Expr) -> tuple[float, float]:
    if isinstance(node, exp.Column):
        return 1.0, 0.0
    if isinstance(node, exp.Literal):
        return 0.0, float(len(node.this)) if node.is_string else 0.0
    if isinstance(node, exp.Pad):  # polars pads or cuts to exactly the length
        length = node.args.get("expression")
        return (0.0, float(length.this)) if isinstance(length, exp.Literal) and length.is_int else _UNBOUNDED
    if isinstance(node, exp.Replace):  # each match of the pattern becomes the replacement
        pattern, by = node.args.get("expression"), node.args.get("replacement")
        if not (_is_text(pattern) and _is_text(by) and pattern.this):
            return _UNBOUNDED
        k, c = _bound(node.this)
        factor = max(1.0, len(by.this) / len(pattern.this))
        return k * factor, c * factor
    parts = [_bound(child) for child in node.iter_expressions()]
    if isinstance(node, exp.ConcatWs) and parts:  # the separator goes between every two values
        parts[0] = (parts[0][0] * (len(parts) - 1), parts[0][1] * (len(parts) - 1))
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def rename_in_sql(text: str, old: str, new: str) -> str:
    """The SQL text with column `old` named `new`; functions and strings of that name stay."""
    tokens = sqlglot.Dialect.get_or_raise(DIALECT).tokenizer_class().tokenize(text)
    out, last = [], 0
    for i, token in enumerate(tokens):
        if token.text != old or token.token_type not in (TokenType.VAR, TokenType.IDENTIFIER):
            continue
        if i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.L_PAREN:
            continue  # a function call, not a column
        start, end = token.start, token.end + 1
        if token.token_type == TokenType.IDENTIFIER:  # "old": keep the quotes
            start, end = start + 1, end - 1
        out += [text[last:start], new]
        last = end
    return "".join(out) + text[last:]
