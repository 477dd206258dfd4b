"""A `.sql` file of CREATE TABLE statements (PostgreSQL, MySQL or SQLite), parsed with sqlglot.

Statements that describe no table's shape (INSERT, SET, CREATE VIEW/FUNCTION/SEQUENCE, COMMENT,
DROP...) are skipped; a statement sqlglot cannot parse, or parses only as an opaque command
inside a table's definition, is refused with its line.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.tokens import Tokenizer, TokenType

from .source import Column, ForeignKey, Schema, SourceError, Table
from .sqltypes import apply_check, describe_type, mark_writable

DIALECTS = ("postgres", "mysql", "sqlite")


def guess_dialect(text: str) -> str:
    """The dialect a DDL is written in, from its tokens (never a regular expression): MySQL's
    backquotes, AUTO_INCREMENT and ENGINE=, SQLite's AUTOINCREMENT; PostgreSQL otherwise."""
    try:
        tokens = Tokenizer().tokenize(text)
    except sqlglot.errors.TokenError:
        return "postgres"
    words = {t.text.upper() for t in tokens if t.token_type in (TokenType.VAR, TokenType.AUTO_INCREMENT)}
    if "`" in {t.text[:1] for t in tokens} or words & {"AUTO_INCREMENT", "ENGINE", "UNSIGNED"}:
        return "mysql"
    if "AUTOINCREMENT" in words or "WITHOUT" in words and "ROWID" in words:
        return "sqlite"
    return "postgres"


def read_ddl(path: Path, dialect: str | None = None) -> Schema:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    dialect = dialect or guess_dialect(text)
    schema = Schema(source=str(path), dialect=dialect)
    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # statements it keeps as opaque commands (OWNER TO, GRANT) shape no table
    try:
        statements = sqlglot.parse(text, read=dialect)
    except sqlglot.errors.ParseError as error:
        first = error.errors[0] if error.errors else {}
        line = first.get("line")
        what = (first.get("description") or str(error)).splitlines()[0]
        raise SourceError(f"{path}:{line}: cannot parse this {dialect} DDL: {what}" if line else f"{path}: {what}") from None
    except sqlglot.errors.TokenError as error:
        raise SourceError(f"{path}: cannot parse this {dialect} DDL: {str(error).splitlines()[0]}") from None
    finally:
        quiet.setLevel(level)
    for statement in statements:
        if statement is None:
            continue
        if isinstance(statement, exp.Command) and statement.this.upper() == "CREATE":
            words = str(statement.expression).split()
            if words and words[0].upper() == "TABLE":
                raise _unsupported(path, statement, f"CREATE TABLE {words[1] if len(words) > 1 else ''} in this form")
        if isinstance(statement, exp.Create) and statement.args.get("kind") == "TABLE":
            _create_table(schema, statement, path, dialect)
        elif isinstance(statement, exp.Create) and statement.args.get("kind") == "INDEX" and statement.args.get("unique"):
            _unique_index(schema, statement, dialect)
        elif isinstance(statement, exp.Alter):
            _alter(schema, statement, path, dialect)
    if not schema.tables:
        raise SourceError(f"{path}: no CREATE TABLE statement in this {dialect} DDL")
    for table in schema.tables.values():
        for fk in table.foreign_keys:
            if fk.table not in schema.tables:
                raise SourceError(f"{path}: table {table.name}: foreign key to {fk.table}, which this DDL does not create")
            if not fk.ref_columns:
                fk.ref_columns = schema.tables[fk.table].primary_key
    return schema


def _line(node: exp.Expression) -> int | None:
    for part in node.walk():
        if isinstance(part, exp.Identifier) and part.meta.get("line"):
            return part.meta["line"]
    return None


def _name(identifier: exp.Expression | None, dialect: str) -> str:
    """An identifier as the database stores it: PostgreSQL folds unquoted names to lower case."""
    if identifier is None:
        return ""
    if isinstance(identifier, (exp.Column, exp.Table, exp.Ordered)):
        identifier = identifier.this
    if isinstance(identifier, exp.Identifier):
        if dialect == "postgres" and not identifier.quoted:
            return identifier.this.lower()
        return identifier.this
    return identifier.name


def _unsupported(path: Path, node: exp.Expression, what: str) -> SourceError:
    line = _line(node)
    return SourceError(
        f"{path}:{line}: {what} is not supported by designer infer" if line else f"{path}: {what} is not supported"
    )


def _create_table(schema: Schema, statement: exp.Create, path: Path, dialect: str) -> None:
    body = statement.this
    if not isinstance(body, exp.Schema):  # CREATE TABLE ... AS SELECT, LIKE: no columns of its own
        raise _unsupported(path, statement, "CREATE TABLE without a column list (AS SELECT, LIKE, PARTITION OF)")
    table = Table(name=_name(body.this, dialect))
    schema.tables[table.name] = table
    pending = []
    for item in body.expressions:
        if isinstance(item, exp.ColumnDef):
            _column(table, item, path, dialect)
        else:
            pending.append(item)
    for item in pending:  # table constraints may name columns defined after them
        _table_constraint(table, item, path, dialect)
    for column in table.columns.values():
        mark_writable(column, dialect)


def _column(table: Table, item: exp.ColumnDef, path: Path, dialect: str) -> None:
    column = Column(name=_name(item.this, dialect))
    table.columns[column.name] = column
    datatype = item.args.get("kind")
    if isinstance(datatype, exp.DataType):
        describe_type(column, datatype, dialect)
    elif dialect == "sqlite":  # SQLite takes a column without a type
        column.family, column.declared = "other", ""
    for constraint in item.constraints:
        kind = constraint.kind
        if isinstance(kind, exp.NotNullColumnConstraint):
            column.not_null = not kind.args.get("allow_null")
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            table.primary_key = (column.name,)
            column.not_null = True
        elif isinstance(kind, exp.UniqueColumnConstraint):
            column.unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            column.default = kind.this.sql(dialect)
        elif isinstance(kind, (exp.AutoIncrementColumnConstraint, exp.GeneratedAsIdentityColumnConstraint)):
            column.autoincrement = True
        elif isinstance(kind, exp.CheckColumnConstraint):
            apply_check(table, kind.this, dialect)
        elif isinstance(kind, exp.Reference):
            table.foreign_keys.append(_reference((column.name,), kind, dialect))


def _reference(columns: tuple[str, ...], reference: exp.Reference, dialect: str) -> ForeignKey:
    target = reference.this
    if isinstance(target, exp.Schema):
        name = _name(target.this, dialect)
        refs = tuple(_name(e, dialect) for e in target.expressions)
    else:
        name, refs = _name(target, dialect), ()
    return ForeignKey(columns=columns, table=name, ref_columns=refs)


def _table_constraint(table: Table, item: exp.Expression, path: Path, dialect: str) -> None:
    if isinstance(item, exp.Constraint):
        for inner in item.expressions:
            _table_constraint(table, inner, path, dialect)
        return
    if isinstance(item, exp.PrimaryKey):
        table.primary_key = tuple(_name(e, dialect) for e in item.expressions)
        for name in table.primary_key:
            if name in table.columns:
                table.columns[name].not_null = True
    elif isinstance(item, exp.ForeignKey):
        reference = item.args.get("reference")
        if isinstance(reference, exp.Reference):
            table.foreign_keys.append(_reference(tuple(_name(e, dialect) for e in item.expressions), reference, dialect))
    elif isinstance(item, exp.UniqueColumnConstraint):
        target = item.this
        names = tuple(_name(e, dialect) for e in target.expressions) if isinstance(target, exp.Schema) else ()
        _add_unique(table, names)
    elif isinstance(item, (exp.CheckColumnConstraint, exp.Check)):
        apply_check(table, item.this, dialect)
    elif isinstance(item, exp.PrimaryKeyColumnConstraint):
        pass
    elif isinstance(item, (exp.IndexColumnConstraint, exp.ColumnConstraint)):
        pass  # plain indexes (MySQL's KEY) shape no data
    else:
        raise _unsupported(path, item, f"in table {table.name}, {item.sql(dialect)[:60]!r}")


def _add_unique(table: Table, names: tuple[str, ...]) -> None:
    if len(names) == 1 and names[0] in table.columns:
        table.columns[names[0]].unique = True
    elif names and names not in table.unique:
        table.unique.append(names)


def _unique_index(schema: Schema, statement: exp.Create, dialect: str) -> None:
    index = statement.this
    table = schema.tables.get(_name(index.args.get("table"), dialect))
    params = index.args.get("params")
    if table is None or params is None:
        return
    columns = params.args.get("columns") or []
    if all(isinstance(c, exp.Ordered) and isinstance(c.this, exp.Column) for c in columns):
        _add_unique(table, tuple(_name(c.this, dialect) for c in columns))


def _alter(schema: Schema, statement: exp.Alter, path: Path, dialect: str) -> None:
    table = schema.tables.get(_name(statement.this, dialect))
    if table is None:
        return
    for action in statement.args.get("actions") or []:
        if isinstance(action, exp.AddConstraint):
            for item in action.expressions:
                _table_constraint(table, item, path, dialect)
