"""MySQL and MariaDB (a real MariaDB, DESIGNER_TEST_MYSQL_URL or the one scripts/mysql-start
starts; never skipped): the rows read back with PyMySQL are the engine's, the schema's keys,
UNIQUE, NOT NULL and foreign keys are declared in information_schema and refuse a breaking row,
and a failed, stopped or killed load leaves the database as it was. Each test gets its own database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

import polars as pl
import pymysql
import pytest

from designer import pipeline, presets
from designer.errors import ExportError
from designer.writers import open_writer, resolve_target
from designer.writers.readback import read_table

from ..conftest import PRESETS, ROOT
from .helpers import ECOMMERCE, SMALL, designer_command, export, generated, invoke
from .test_append_continues import ROWS, SHOP
from .test_sqlite import FOREIGN, KEYS, NULLABLE

pytestmark = pytest.mark.slow  # a real server
CHINOOK = PRESETS / "chinook.toml"
TYPES = {"Int64": "bigint", "Float64": "double", "Boolean": "tinyint", "Date": "date", "Datetime": "datetime"}


def _start_server() -> str:
    try:
        proc = subprocess.run([str(ROOT / "scripts" / "mysql-start")], capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.fail(f"scripts/mysql-start could not run: {error}", pytrace=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        pytest.fail(f"scripts/mysql-start failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}", pytrace=False)
    return proc.stdout.strip().splitlines()[-1]


def _open(url: str, **options) -> pymysql.connections.Connection:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=parts.username or "",
        password=parts.password or "",
        database=parts.path.lstrip("/"),
        charset="utf8mb4",
        **options,
    )


@pytest.fixture(scope="session")
def mysql_server() -> str:
    url = os.environ.get("DESIGNER_TEST_MYSQL_URL") or _start_server()
    try:
        _open(url, connect_timeout=20).close()
    except pymysql.Error as error:
        pytest.fail(f"MySQL at {url} is not reachable: {error}", pytrace=False)
    return url


@pytest.fixture(scope="session")
def new_mysql_url(mysql_server):
    """A factory of URLs, each onto a fresh empty database; all dropped at the end of the session."""
    made: list[str] = []
    base = mysql_server.rsplit("/", 1)[0]

    def make() -> str:
        name = f"mariadb_t_{uuid.uuid4().hex[:12]}"
        conn = _open(mysql_server, autocommit=True)
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
        conn.close()
        made.append(name)
        return f"{base}/{name}"

    yield make
    conn = _open(mysql_server, autocommit=True)
    with conn.cursor() as cur:
        for name in made:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


@pytest.fixture
def mysql_url(new_mysql_url) -> str:
    return new_mysql_url()


def query(url: str, sql: str, args=None) -> list[tuple]:
    conn = _open(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return [tuple(r) for r in cur.fetchall()]
    finally:
        conn.close()


def tables(url: str) -> list[str]:
    return sorted(r[0] for r in query(url, "SHOW TABLES"))


def raw_rows(url: str, table: str, schema: pl.Schema) -> list[tuple]:
    """The rows as PyMySQL reads them, BOOLEAN (a tinyint) as bool."""
    rows = query(url, f"SELECT {', '.join(f'`{c}`' for c in schema)} FROM `{table}`")
    flags = [dtype == pl.Boolean for dtype in schema.values()]
    return [tuple(bool(v) if flag and v is not None else v for v, flag in zip(row, flags, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def shop(new_mysql_url):
    design = presets.load(ECOMMERCE)
    url = new_mysql_url()
    export(design, "mysql", url, rows=SMALL)
    return url, generated(design, rows=SMALL)


@pytest.mark.parametrize("preset", [ECOMMERCE, CHINOOK], ids=["ecommerce", "chinook"])
def test_rows_read_back_are_the_engines(preset, mysql_url):
    design = presets.load(preset)
    rows = SMALL if preset == ECOMMERCE else None
    target = export(design, "mysql", mysql_url, rows=rows)
    specs = pipeline.tables(design, rows=rows)
    assert tables(mysql_url) == sorted(s.name for s in specs)
    for spec in specs:
        frame = pipeline.generate(design, spec.name, rows=rows)
        assert frame.height > 0, spec.name
        # PyMySQL, independent of designer's readback: the same rows, as many times each
        assert Counter(raw_rows(mysql_url, spec.name, frame.schema)) == Counter(frame.rows()), spec.name
        back = read_table(target, spec.name, spec)  # in key order
        assert back.equals(frame.sort(spec.key_columns) if spec.key_columns else frame), spec.name


def test_columns_have_types_and_not_null(shop):
    url, expected = shop
    for entity, frame in expected.items():
        columns = query(
            url,
            """SELECT column_name, data_type, is_nullable FROM information_schema.columns
               WHERE table_schema = DATABASE() AND table_name = %s ORDER BY ordinal_position""",
            (entity,),
        )
        assert [c[0] for c in columns] == frame.columns
        texts = {"varchar", "longtext"}
        assert all(
            c[1] in texts if t == pl.String else c[1] == TYPES[type(t).__name__]
            for c, t in zip(columns, frame.schema.values(), strict=True)
        ), columns
        assert {c[0] for c in columns if c[2] == "YES"} == {c for e, c in NULLABLE if e == entity}, entity


def test_keys_foreign_keys_and_unique_are_declared(shop):
    url, _ = shop

    def of(kind: str) -> set[tuple]:
        return set(
            query(
                url,
                """SELECT k.table_name, k.column_name FROM information_schema.table_constraints c
                   JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name, table_name)
                   WHERE c.constraint_type = %s AND c.table_schema = DATABASE()""",
                (kind,),
            )
        )

    assert of("PRIMARY KEY") == set(KEYS.items())
    assert of("UNIQUE") == {("users", "email")}
    declared = query(
        url,
        """SELECT table_name, column_name, referenced_table_name, referenced_column_name FROM information_schema.key_column_usage
           WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL""",
    )
    assert set(declared) == FOREIGN
    # named after their table, as the server names declared ones (not after the temporary tables)
    names = {
        r[0]
        for r in query(
            url, "SELECT constraint_name FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()"
        )
    }
    assert names == {"orders_ibfk_1", "order_items_ibfk_1", "order_items_ibfk_2"}


USER = "INSERT INTO users (id, first_name, last_name, email, age, role, is_active, created_at) "


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        (
            "INSERT INTO orders (id, user_id, status, created_at, subtotal, tax, total) "
            "VALUES (999999, 424242, 'x', '2025-01-01', 1, 1, 1)",
            1452,
        ),
        ("DELETE FROM products WHERE id = (SELECT product_id FROM order_items LIMIT 1)", 1451),
        (USER + "SELECT 999999, 'a', 'b', email, 30, 'user', true, '2025-01-01' FROM users LIMIT 1", 1062),
        (USER + "VALUES (1, 'a', 'b', 'new@example.com', 30, 'user', true, '2025-01-01')", 1062),
        ("UPDATE orders SET status = NULL WHERE id = 1", 1048),
        ("INSERT INTO products (id, name, slug, price, stock, category) VALUES (NULL, 'n', 's', 1, 1, 'Books')", 1048),
    ],
    ids=["fk-insert", "fk-delete-parent", "unique", "primary-key", "not-null", "null-key"],
)
def test_a_row_that_breaks_a_constraint_is_refused(shop, statement, code):
    conn = _open(shop[0])
    try:
        with conn.cursor() as cur, pytest.raises(pymysql.err.MySQLError) as raised:
            cur.execute(statement)
        assert raised.value.args[0] == code, raised.value
    finally:
        conn.rollback()
        conn.close()


def test_unique_text_is_compared_as_the_engine_compares_it(shop):
    """Binary and without padding: an email in other case, or with a trailing space, is another
    value (the server's default collation would refuse both as duplicates of the engine's unique values)."""
    conn = _open(shop[0])
    try:
        with conn.cursor() as cur:
            for n, spelled in enumerate(["UPPER(email)", "CONCAT(email, ' ')"]):
                cur.execute(
                    USER + f"SELECT {999990 + n}, 'a', 'b', {spelled}, 30, 'user', true, '2025-01-01' FROM users "
                    "WHERE email <> UPPER(email) LIMIT 1"
                )
                assert cur.rowcount == 1
    finally:
        conn.rollback()
        conn.close()


def test_two_workers_write_the_same_rows_as_one(new_mysql_url):
    design = presets.load(ECOMMERCE)
    one, two = new_mysql_url(), new_mysql_url()
    export(design, "mysql", one, rows=SMALL)
    export(design, "mysql", two, rows=SMALL, workers=2)
    for spec in pipeline.tables(design, rows=SMALL):
        columns = ", ".join(f"`{c.name}`" for c in spec.columns)
        assert query(one, f"SELECT {columns} FROM `{spec.name}`") == query(two, f"SELECT {columns} FROM `{spec.name}`")


def test_if_exists_fail_names_the_table_and_replace_reloads(mysql_url):
    design = presets.load(ECOMMERCE)
    export(design, "mysql", mysql_url, rows=SMALL)
    with pytest.raises(ExportError, match=r"table products exists; pass --if-exists replace"):
        export(design, "mysql", mysql_url, rows=SMALL, seed=9)
    assert query(mysql_url, "SELECT count(*) FROM users") == [(300,)]
    export(design, "mysql", mysql_url, rows={"users": 20, "products": 7}, if_exists="replace")
    assert query(mysql_url, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM products)") == [(20, 7)]
    assert tables(mysql_url) == ["order_items", "orders", "products", "users"]


def test_a_failed_append_changes_nothing_and_leaves_no_table(mysql_url):
    """products (new uuids) load first, then users clash (ids continue, but one email is taken
    already): the whole load is rolled back, and no temporary table stays."""
    design = presets.load(ECOMMERCE)
    export(design, "mysql", mysql_url, rows={"users": 20, "products": 7})
    email = pipeline.preview(design, "users", rows=1, seed=5)["users"]["email"][0]
    conn = _open(mysql_url, autocommit=True)
    with conn.cursor() as cur:
        cur.execute("UPDATE users SET email = %s WHERE id = 1", (email,))
    conn.close()
    with pytest.raises(ExportError, match=r"users: Duplicate entry .* for key"):
        export(design, "mysql", mysql_url, rows=SMALL, seed=5, if_exists="append")
    assert query(mysql_url, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM products)") == [(20, 7)]
    assert tables(mysql_url) == ["order_items", "orders", "products", "users"]
    export(design, "mysql", mysql_url, rows=SMALL, entities=["products"], seed=5, if_exists="append")
    assert query(mysql_url, "SELECT count(*) FROM products") == [(57,)]


def test_a_replace_whose_rows_break_a_reference_keeps_the_old_tables(mysql_url):
    """The server checks no foreign key while loading: the check at commit finds a row pointing
    at no parent (planted in the frames handed to the writer), and the old tables stay."""
    design = presets.load(ECOMMERCE)
    export(design, "mysql", mysql_url, rows={"users": 20, "products": 7})
    before = {t: query(mysql_url, f"SELECT * FROM `{t}`") for t in tables(mysql_url)}
    frames = generated(design, rows=SMALL)
    frames["order_items"] = frames["order_items"].with_columns(
        pl.when(pl.int_range(pl.len()) == 7).then(pl.lit("no-such-product")).otherwise(pl.col("product_id")).alias("product_id")
    )
    writer = open_writer(resolve_target(mysql_url, None, "x", 4, "replace"), pipeline.tables(design, rows=SMALL))
    for name, frame in frames.items():
        writer.write(name, frame)
    with pytest.raises(
        ExportError, match=r"order_items: FOREIGN KEY constraint failed \(product_id = 'no-such-product' is not in products.id\)$"
    ):
        writer.commit()
    writer.abort()
    assert {t: query(mysql_url, f"SELECT * FROM `{t}`") for t in tables(mysql_url)} == before


def test_a_replace_that_would_drop_another_tables_foreign_key_is_refused(mysql_url):
    design = presets.load(ECOMMERCE)
    export(design, "mysql", mysql_url, rows={"users": 20, "products": 7})
    conn = _open(mysql_url, autocommit=True)
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE reviews (id BIGINT PRIMARY KEY, user_id BIGINT, CONSTRAINT by_user FOREIGN KEY (user_id) REFERENCES users (id))"
        )
    conn.close()
    with pytest.raises(
        ExportError, match=r"other tables' foreign keys reference the tables to replace \(reviews.by_user\); drop them first$"
    ):
        export(design, "mysql", mysql_url, rows=SMALL, if_exists="replace")
    assert query(mysql_url, "SELECT count(*) FROM users") == [(20,)]
    assert tables(mysql_url) == ["order_items", "orders", "products", "reviews", "users"]


def test_two_appends_continue_the_keys_and_the_references_follow(mysql_url):
    design = presets.loads(SHOP)
    export(design, "mysql", mysql_url, if_exists="append")
    orders_once = query(mysql_url, "SELECT count(*) FROM orders")[0][0]
    export(design, "mysql", mysql_url, if_exists="append")
    assert query(mysql_url, "SELECT count(*), count(DISTINCT CustomerId), max(CustomerId) FROM Customer") == [
        (2 * ROWS, 2 * ROWS, 2 * ROWS)
    ]
    assert query(mysql_url, "SELECT count(*), count(DISTINCT OrderNo) FROM orders") == [(2 * orders_once, 2 * orders_once)]
    assert query(mysql_url, "SELECT count(*) FROM notes") == [(30,)]
    orphans = query(
        mysql_url,
        """SELECT (SELECT count(*) FROM orders o LEFT JOIN Customer c ON c.CustomerId = o.CustomerId WHERE c.CustomerId IS NULL),
                  (SELECT count(*) FROM Customer o LEFT JOIN Customer c ON c.CustomerId = o.boss
                   WHERE o.boss IS NOT NULL AND c.CustomerId IS NULL),
                  (SELECT count(*) FROM notes n LEFT JOIN orders o ON o.OrderNo = n.`order` WHERE o.OrderNo IS NULL)""",
    )
    assert orphans == [(0, 0, 0)]


def test_an_append_into_a_table_that_does_not_fit_is_refused_in_one_line(mysql_url):
    conn = _open(mysql_url, autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE Customer (CustomerId BIGINT PRIMARY KEY, name DATE, boss BIGINT)")
    conn.close()
    with pytest.raises(ExportError, match=r"append: table Customer: column name is date, the design writes longtext$"):
        export(presets.loads(SHOP), "mysql", mysql_url, if_exists="append")
    assert tables(mysql_url) == ["Customer"]


def _loading(url: str, proc: subprocess.Popen) -> None:
    """Wait until a run is inserting into its temporary tables."""
    deadline = time.monotonic() + 120
    while not query(
        url, "SELECT 1 FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'INSERT INTO `\\_designer\\_%%'"
    ):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the load never started"
        time.sleep(0.05)


def test_a_stopped_replace_leaves_the_old_tables_and_no_other(mysql_url):
    design = presets.load(ECOMMERCE)
    export(design, "mysql", mysql_url, rows=SMALL)
    proc = subprocess.Popen(
        designer_command(
            "export", str(ECOMMERCE), "-o", mysql_url, "--rows", "users=1000000", "--if-exists", "replace", "--quiet"
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _loading(mysql_url, proc)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr) == (128 + signal.SIGTERM, "designer: export cancelled; nothing was written\n")
    assert tables(mysql_url) == ["order_items", "orders", "products", "users"]
    assert query(mysql_url, "SELECT count(*) FROM users") == [(300,)]


def test_the_tables_of_a_killed_load_are_dropped_by_the_next_run(mysql_url):
    proc = subprocess.Popen(
        designer_command("export", str(ECOMMERCE), "-o", mysql_url, "--rows", "users=1000000", "--quiet"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _loading(mysql_url, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    left = tables(mysql_url)
    assert left and all(t.startswith("_designer_") for t in left)  # no table has its final name
    deadline = time.monotonic() + 30  # the server notices the dead connection, and frees its lock
    while query(mysql_url, "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE()")[0][0] > 1:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    export(presets.load(ECOMMERCE), "mysql", mysql_url, rows=SMALL)
    assert tables(mysql_url) == ["order_items", "orders", "products", "users"]


def test_the_command_line_writes_mariadb_urls_and_hides_the_password(mysql_url):
    where = mysql_url.replace("mysql://", "mariadb://")
    result = invoke("export", str(ECOMMERCE), "-o", where, "--rows", "users=10", "--rows", "products=3")
    assert result.returncode == 0, result.stderr
    assert query(mysql_url, "SELECT count(*) FROM users") == [(10,)]
    result = invoke("export", str(ECOMMERCE), "-o", "mysql://someone:secret@127.0.0.1:9/nowhere?connect_timeout=3")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "secret" not in result.stderr
    assert result.stderr.startswith("designer: mysql://someone:***@127.0.0.1:9/nowhere") and "cannot connect" in result.stderr


@pytest.mark.parametrize(
    ("output", "fmt", "message"),
    [
        ("mysql://u@h/db", "csv", "mysql://u@h/db: a MySQL URL cannot take --format csv"),
        ("out/", "mysql", "out/: --format mysql needs a mysql:// (or mariadb://) URL"),
        ("mysql://u:pw@h", None, "mysql://u:***@h: name the database: mysql://user:password@host:port/database"),
        (
            "mysql://u@h/db?ssl=1",
            None,
            "mysql://u@h/db?ssl=1: unknown URL parameter 'ssl'; MySQL URLs take connect_timeout and password",
        ),
    ],
)
def test_bad_targets_are_one_line(output, fmt, message):
    with pytest.raises(ExportError) as raised:
        pipeline.export(presets.load(ECOMMERCE), resolve_target(output, fmt, "x", 4))
    assert str(raised.value) == message


def test_without_the_driver_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymysql", None)  # `import pymysql` raises ImportError
    with pytest.raises(ExportError, match=r"MySQL needs the PyMySQL driver: pip install 'designer\[mysql\]'$"):
        pipeline.export(presets.load(ECOMMERCE), resolve_target("mysql://u@127.0.0.1/db", None, "x", 4))


def test_a_load_waiting_on_a_lock_stops_at_ctrl_c(mysql_url):
    """The writing thread's INSERT waits on another session's lock: Ctrl-C has the server kill it
    at once (not when the lock is gone), and the table keeps its rows."""
    subprocess.run(designer_command("export", str(ECOMMERCE), "-o", mysql_url, "--rows", "users=50", "--quiet"), check=True)
    counts = query(mysql_url, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM products)")
    holder = _open(mysql_url)
    try:
        with holder.cursor() as cur:
            cur.execute("LOCK TABLES products WRITE")  # held until UNLOCK TABLES
        proc = subprocess.Popen(
            designer_command(
                "export", str(ECOMMERCE), "-o", mysql_url, "--rows", "users=50", "--if-exists", "append", "--seed", "3", "--quiet"
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not query(
            mysql_url,
            "SELECT 1 FROM information_schema.processlist WHERE db = DATABASE() AND state LIKE 'Waiting for table%%lock'",
        ):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the load never waited on the lock"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)  # with the lock still held
        assert (proc.returncode, stderr) == (128 + signal.SIGINT, "designer: export cancelled; nothing was written\n")
        # killed on the server, not only left by the client (whose socket is shut if the kill is not heard)
        waiting = (
            "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND state LIKE 'Waiting for table%%lock'"
        )
        assert query(mysql_url, waiting) == [(0,)]
    finally:
        with holder.cursor() as cur:
            cur.execute("UNLOCK TABLES")
        holder.close()
    assert query(mysql_url, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM products)") == counts
    assert counts[0][0] == 50 and tables(mysql_url) == ["order_items", "orders", "products", "users"]


def test_interrupt_has_the_server_stop_a_waiting_insert(mysql_url):
    """interrupt() alone (without the socket shut, which the export does a second later): KILL
    QUERY from another connection ends the wait at once."""
    import threading

    design = presets.load(ECOMMERCE)
    export(design, "mysql", mysql_url, rows={"users": 5, "products": 3})
    writer = open_writer(resolve_target(mysql_url, None, "x", 4, "append"), pipeline.tables(design, rows=SMALL))
    holder = _open(mysql_url)
    failed: list[BaseException] = []

    def load() -> None:
        try:
            writer.write("products", pipeline.generate(design, "products", rows=SMALL, seed=4))
        except BaseException as error:
            failed.append(error)

    try:
        with holder.cursor() as cur:
            cur.execute("LOCK TABLES products WRITE")
        thread = threading.Thread(target=load)
        thread.start()
        deadline = time.monotonic() + 30
        while not query(mysql_url, "SELECT 1 FROM information_schema.processlist WHERE state LIKE 'Waiting for table%%lock'"):
            assert time.monotonic() < deadline, "the insert never waited on the lock"
            time.sleep(0.05)
        writer.interrupt()
        thread.join(10)
        assert not thread.is_alive() and len(failed) == 1 and str(failed[0]).endswith("products: interrupted")
    finally:
        with holder.cursor() as cur:
            cur.execute("UNLOCK TABLES")
        holder.close()
        writer.abort()
    assert query(mysql_url, "SELECT count(*) FROM products") == [(3,)]


@pytest.mark.parametrize("if_exists", ["fail", "append"])
def test_composite_keys_and_unique_tuples_are_declared_and_enforced(mysql_url, if_exists):
    """New tables get their UNIQUE tuple after the load, tables appended to have it from the start:
    declared either way, and a repeated pair is refused by the server."""
    from .test_composite_ddl import REPEATS
    from .test_composite_ddl import SHOP as PLAYLISTS

    design = presets.loads(PLAYLISTS)
    export(design, "mysql", mysql_url, if_exists=if_exists)
    frame = pipeline.generate(design, "playlist_track")
    assert Counter(raw_rows(mysql_url, "playlist_track", frame.schema)) == Counter(frame.rows())
    declared = query(
        mysql_url,
        """SELECT c.constraint_type, GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position) FROM information_schema.table_constraints c
           JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name, table_name)
           WHERE c.table_schema = DATABASE() AND c.table_name = 'playlist_track' AND c.constraint_type <> 'FOREIGN KEY'
           GROUP BY c.constraint_name, c.constraint_type""",
    )
    assert sorted(declared) == [("PRIMARY KEY", "playlist_id,track_id"), ("UNIQUE", "playlist_id,position")]
    for a, b in (("playlist_id", "track_id"), ("playlist_id", "position")):
        assert query(mysql_url, REPEATS.format(a=a, b=b)) == []
    conn = _open(mysql_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SET foreign_key_checks = 0")  # track 999999 is not there: only the UNIQUE may refuse
            for key, values in (
                ("PRIMARY", "playlist_id, track_id, position + 100000"),
                ("playlist_id", "playlist_id, 999999, position"),
            ):
                with pytest.raises(pymysql.err.IntegrityError, match=f"for key '{key}'") as raised:
                    cur.execute(
                        f"INSERT INTO playlist_track (playlist_id, track_id, position) SELECT {values} FROM playlist_track LIMIT 1"
                    )
                assert raised.value.args[0] == 1062
    finally:
        conn.rollback()
        conn.close()
