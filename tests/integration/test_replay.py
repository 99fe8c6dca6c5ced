"""audit replay and the scratch views it is built on, on SQLite and PostgreSQL.

A replay from position 0 into a scratch store must equal the live views on an
honest store, name the table and the row when a view row was changed by hand,
and write nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger.commands import registers as cmd
from sanzi_ledger.commands.replay import replay
from sanzi_ledger.projections.scratch import ScratchViews
from tests.support import CODE, new_ledger, post, snapshot

D = date.fromisoformat


@pytest.fixture
def led(store_url):
    ledger = new_ledger(store_url)
    for month in ("01", "02", "03"):
        post(ledger, f"2025-{month}-05", {"102": 1_200_000}, {"501": 1_200_000}, summary="收到土地租金")
        post(ledger, f"2025-{month}-09", {"513": 30_000}, {"101": 30_000}, summary="办公用品")
    cmd.add_resource(ledger, cmd.AddResource(number="ZY-01", name="东山坡耕地", type="耕地", area_cmu=3_000))
    cmd.sign_lease(ledger, cmd.SignLease(number="ZL-01", item="ZY-01", lessee="张三", rent_fen=600_000, per="year",
                                         start=D("2025-01-01"), end=D("2027-12-31"), resolution="决议〔2025〕1号"))
    cmd.collect_rent(ledger, cmd.CollectRent(number="ZL-01", amount_fen=600_000, day=D("2025-03-01")))
    yield ledger
    ledger.close()


def alter(led, sql: str, params: tuple = ()) -> None:
    """Change a view row behind the program's back, straight through SQL."""
    with led.views.transaction(commit=True) as cursor:
        cursor.execute(sql, params)


def test_a_replay_of_an_honest_store_is_identical_and_writes_nothing(led):
    before = snapshot(led)
    result = replay(led)
    assert result.ok and result.differences == []
    assert result.events == led.app.head() and result.tables >= 15
    assert snapshot(led) == before


def test_scratch_views_equal_the_live_views_whether_advanced_at_once_or_in_steps(led):
    live = led.projector.dump()
    with ScratchViews(led.app) as once:
        assert once.advance() == led.app.head()
        assert once.dump() == live
    with ScratchViews(led.app) as steps:
        reached = [steps.advance(p) for p in (1, 7, 8, 20)]
        assert reached == [1, 7, 8, 20]
        assert steps.dump() != live
        assert steps.advance() == led.app.head()
        assert steps.dump() == live


def test_scratch_views_advanced_through_any_positions_equal_the_live_views(led):
    """The property behind replay and --as-of: however the log is cut into steps, the views are the same."""
    live, head = led.projector.dump(), led.app.head()

    @settings(max_examples=12, deadline=None)
    @given(st.lists(st.integers(0, head), max_size=4))
    def check(stops: list[int]) -> None:
        with ScratchViews(led.app) as scratch:
            for stop in sorted(stops):
                assert scratch.advance(stop) == stop
            assert scratch.advance() == head
            assert scratch.dump() == live

    check()


def test_scratch_views_at_a_position_hold_only_what_was_recorded_by_then(led):
    (first_voucher,) = led.views.query("SELECT position FROM v_vouchers WHERE number = ?", ("记-2025-01-0001",))[0]
    with ScratchViews(led.app) as scratch:
        scratch.advance(first_voucher)
        assert scratch.views.query("SELECT number FROM v_vouchers") == [("记-2025-01-0001",)]
        assert scratch.views.query("SELECT COUNT(*) FROM v_leases") == [(0,)]


def test_replay_names_the_table_and_the_row_of_a_changed_view(led):
    alter(led, "UPDATE v_account_month SET debit_fen = debit_fen + 100000 WHERE month = ? AND account = ?", ("2025-02", "102"))
    before = snapshot(led)
    result = replay(led)
    assert not result.ok
    [difference] = result.differences
    assert difference.table == "v_account_month" and (difference.missing, difference.extra) == (1, 1)
    [changed] = difference.changed
    named = dict(zip(difference.columns, changed.live, strict=True))
    assert (named["collective"], named["month"], named["account"]) == (CODE, "2025-02", "102")
    assert [difference.columns[i] for i in changed.columns] == ["debit_fen"]
    assert changed.live[difference.columns.index("debit_fen")] - changed.replayed[difference.columns.index("debit_fen")] == 100000
    assert snapshot(led) == before  # the replay reports; it does not repair


def test_replay_counts_deleted_and_forged_rows(led):
    alter(led, "DELETE FROM v_voucher_lines WHERE number = ?", ("记-2025-03-0002",))
    alter(led, "INSERT INTO v_members VALUES (?,?,?,?,?)", (CODE, "冒名会计", "accountant", "2025-01-01T00:00:00+00:00", "无人"))
    result = replay(led)
    by_table = {d.table: d for d in result.differences}
    assert set(by_table) == {"v_voucher_lines", "v_members"}
    lines, members = by_table["v_voucher_lines"], by_table["v_members"]
    assert (lines.missing, lines.extra) == (2, 0)
    assert {row[lines.columns.index("number")] for row in lines.missing_rows} == {"记-2025-03-0002"}
    assert (members.missing, members.extra) == (0, 1) and members.extra_rows[0][1] == "冒名会计"


def test_a_rebuild_after_replay_found_a_difference_makes_replay_identical_again(led):
    alter(led, "UPDATE v_leases SET lessee = ? WHERE number = ?", ("李四", "ZL-01"))
    assert [d.table for d in replay(led).differences] == ["v_leases"]
    led.projector.rebuild()
    assert replay(led).ok
