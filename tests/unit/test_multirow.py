"""Many rows per INSERT (projections/multirow.py) must write exactly what executemany writes."""

from __future__ import annotations

import sqlite3
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger import ids
from sanzi_ledger.projections import multirow
from sanzi_ledger.projections.views import Cursor

_TABLE = "CREATE TABLE t (k TEXT NOT NULL, n INTEGER NOT NULL, note TEXT NOT NULL, amount BIGINT, blob BLOB, PRIMARY KEY (k, n))"
_INSERT = "INSERT INTO t VALUES (?, ?, '', ?, ?)"
_SUMS = ("CREATE TABLE s (k TEXT NOT NULL, debit BIGINT NOT NULL, credit BIGINT NOT NULL, PRIMARY KEY (k))")
_UPSERT = ("INSERT INTO s AS x VALUES (?,?,?) ON CONFLICT (k) DO UPDATE SET "
           "debit = x.debit + excluded.debit, credit = x.credit + excluded.credit")

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)  # CJK, quotes, '?' and all
rows_strategy = st.lists(
    st.tuples(texts, st.integers(-10**15, 10**15), st.none() | st.integers(-10**15, 10**15), st.none() | st.binary(max_size=40)),
    max_size=120, unique_by=lambda row: (row[0], row[1]),
)


def _fresh() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(_TABLE)
    connection.execute(_SUMS)
    return connection


@settings(max_examples=150, deadline=None)
@given(rows=rows_strategy, variables=st.integers(min_value=4, max_value=64))
def test_many_rows_per_statement_write_what_executemany_writes(rows: list[tuple], variables: int) -> None:
    # A small variable limit forces chunks of 1..16 rows, so every chunk boundary is met.
    reference, tried = _fresh(), _fresh()
    reference.executemany(_INSERT, rows)
    multirow.insert(tried.execute, multirow.template(_INSERT), rows, variables)
    query = "SELECT * FROM t ORDER BY k, n"
    assert tried.execute(query).fetchall() == reference.execute(query).fetchall()


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 10**9), st.integers(0, 10**9)), max_size=60),
       variables=st.integers(min_value=3, max_value=30))
def test_an_upsert_adds_every_row_even_when_a_key_repeats_within_one_statement(rows: list[tuple], variables: int) -> None:
    reference, tried = _fresh(), _fresh()
    reference.executemany(_UPSERT, rows)
    multirow.insert(tried.execute, multirow.template(_UPSERT), rows, variables)
    query = "SELECT * FROM s ORDER BY k"
    assert tried.execute(query).fetchall() == reference.execute(query).fetchall()


def test_a_duplicate_key_fails_the_statement_and_the_transaction_rolls_back_whole() -> None:
    connection = _fresh()
    connection.execute("BEGIN")
    rows = [("a", n, None, None) for n in range(10)] + [("a", 3, None, None)]
    try:
        multirow.insert(connection.execute, multirow.template(_INSERT), rows, 16)
    except sqlite3.IntegrityError:
        connection.rollback()
    else:
        raise AssertionError("a repeated primary key must be refused")
    assert connection.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


def test_only_single_row_inserts_are_rewritten() -> None:
    assert multirow.template("UPDATE v_vouchers SET reversed_by = ? WHERE number = ?") is None
    assert multirow.template("DELETE FROM v_vouchers WHERE number = ?") is None
    assert multirow.template("INSERT INTO t SELECT * FROM u") is None
    columns = multirow.template("INSERT INTO v_periods (collective, month) VALUES (?, ?) ON CONFLICT DO NOTHING")
    assert columns is not None and columns.width == 2
    assert columns.sql(2) == "INSERT INTO v_periods (collective, month) VALUES (?, ?),(?, ?) ON CONFLICT DO NOTHING"


def test_a_statement_that_is_not_a_one_row_insert_is_run_row_by_row() -> None:
    connection = _fresh()
    multirow.write(connection.cursor(), _INSERT, [("a", 1, 5, None), ("a", 2, 7, None)])
    multirow.write(connection.cursor(), "UPDATE t SET amount = amount + ? WHERE k = ? AND n = ?", [(10, "a", 1), (20, "a", 2)])
    assert connection.execute("SELECT n, amount FROM t ORDER BY n").fetchall() == [(1, 15), (2, 27)]


def test_the_views_cursor_writes_many_rows_on_sqlite_through_the_same_call() -> None:
    connection = _fresh()
    rows = [(f"k{n}", n, n * 100, None) for n in range(7000)]  # more than one statement's worth
    Cursor(connection.cursor(), postgres=False).executemany(_INSERT, rows)
    assert connection.execute("SELECT COUNT(*), SUM(amount) FROM t").fetchone() == (7000, sum(n * 100 for n in range(7000)))


@given(st.text(max_size=40))
def test_ids_uuid5_is_the_standard_uuid5(name: str) -> None:
    # The ids of every aggregate in every store depend on this being exactly RFC 4122 uuid5.
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return  # a lone surrogate: no id is ever made from one
    assert ids.uuid5(ids.NAMESPACE, name) == uuid.uuid5(ids.NAMESPACE, name)
    other = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
    assert ids.uuid5(other, name) == uuid.uuid5(other, name)
