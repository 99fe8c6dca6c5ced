"""The 三资 registers (台账) as views: contracts, assets, resources, leases, debts, subsidies.

Totals kept here (settled, collected, outstanding…) are sums of register
events; the postings those events made are in the books. A property test
checks the two agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanzi_ledger.projections.batch import Batch

if TYPE_CHECKING:  # handlers are keyed by topic: reading views imports no domain family
    from sanzi_ledger.domain import assets, contracts, debts, leases, subsidies

TABLES = [
    """CREATE TABLE IF NOT EXISTS v_contracts (
        collective TEXT NOT NULL, number TEXT NOT NULL, kind TEXT NOT NULL, direction TEXT NOT NULL,
        party TEXT NOT NULL, party_id TEXT NOT NULL, amount_fen BIGINT NOT NULL, start TEXT NOT NULL,
        end_date TEXT NOT NULL, settled_fen BIGINT NOT NULL, terminated_on TEXT, last_review TEXT NOT NULL,
        subject TEXT NOT NULL, method TEXT NOT NULL, resolution TEXT NOT NULL, signed_on TEXT NOT NULL,
        operator TEXT NOT NULL, position BIGINT NOT NULL, reviewed_by TEXT NOT NULL, PRIMARY KEY (collective, number))""",
    """CREATE TABLE IF NOT EXISTS v_schedules (
        collective TEXT NOT NULL, record TEXT NOT NULL, seq INTEGER NOT NULL, due TEXT NOT NULL,
        amount_fen BIGINT NOT NULL, PRIMARY KEY (collective, record, seq))""",
    """CREATE TABLE IF NOT EXISTS v_assets (
        collective TEXT NOT NULL, number TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL,
        account TEXT NOT NULL, value_fen BIGINT NOT NULL, acquired TEXT NOT NULL, location TEXT NOT NULL,
        voucher TEXT NOT NULL, disposed_on TEXT, disposal_fen BIGINT, PRIMARY KEY (collective, number))""",
    """CREATE TABLE IF NOT EXISTS v_resources (
        collective TEXT NOT NULL, number TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
        area_cmu BIGINT NOT NULL, location TEXT NOT NULL, PRIMARY KEY (collective, number))""",
    """CREATE TABLE IF NOT EXISTS v_leases (
        collective TEXT NOT NULL, number TEXT NOT NULL, item TEXT NOT NULL, item_kind TEXT NOT NULL,
        item_type TEXT NOT NULL, area_cmu BIGINT NOT NULL, lessee TEXT NOT NULL, lessee_id TEXT NOT NULL,
        rent_fen BIGINT NOT NULL, per TEXT NOT NULL, start TEXT NOT NULL, end_date TEXT NOT NULL,
        total_fen BIGINT NOT NULL, collected_fen BIGINT NOT NULL, ended_on TEXT, method TEXT NOT NULL,
        resolution TEXT NOT NULL, signed_on TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (collective, number))""",
    "CREATE INDEX IF NOT EXISTS v_leases_item ON v_leases (collective, item)",
    """CREATE TABLE IF NOT EXISTS v_debts (
        collective TEXT NOT NULL, number TEXT NOT NULL, direction TEXT NOT NULL, party TEXT NOT NULL,
        party_id TEXT NOT NULL, amount_fen BIGINT NOT NULL, date TEXT NOT NULL, due TEXT, account TEXT NOT NULL,
        origin TEXT NOT NULL, voucher TEXT NOT NULL, settled_fen BIGINT NOT NULL, written_off_fen BIGINT NOT NULL,
        position BIGINT NOT NULL, PRIMARY KEY (collective, number))""",
    """CREATE TABLE IF NOT EXISTS v_register_moves (
        collective TEXT NOT NULL, record TEXT NOT NULL, position BIGINT NOT NULL, kind TEXT NOT NULL,
        date TEXT NOT NULL, amount_fen BIGINT NOT NULL, note TEXT NOT NULL, voucher TEXT NOT NULL,
        PRIMARY KEY (collective, record, position))""",
    "CREATE INDEX IF NOT EXISTS v_register_moves_date ON v_register_moves (collective, kind, date)",
    """CREATE TABLE IF NOT EXISTS v_subsidies (
        collective TEXT NOT NULL, number TEXT NOT NULL, program TEXT NOT NULL, source TEXT NOT NULL,
        earmarked INTEGER NOT NULL, purposes TEXT NOT NULL, received_fen BIGINT NOT NULL,
        spent_fen BIGINT NOT NULL, returned_fen BIGINT NOT NULL, first_received TEXT NOT NULL,
        PRIMARY KEY (collective, number))""",
]


def _schedule(batch: Batch, collective: str, record: str, schedule) -> None:
    batch.write("DELETE FROM v_schedules WHERE collective = ? AND record = ?", (collective, record))
    for seq, item in enumerate(schedule, start=1):
        batch.write("INSERT INTO v_schedules VALUES (?,?,?,?,?)", (collective, record, seq, item.due.isoformat(), item.amount_fen))


def _move(batch: Batch, position: int, e, record: str, kind: str, amount_fen: int, note: str = "", voucher: str = "") -> None:
    batch.write("INSERT INTO v_register_moves VALUES (?,?,?,?,?,?,?,?)",
                (e.collective, record, position, kind, e.date.isoformat(), amount_fen, note, voucher))


def contract_signed(batch: Batch, position: int, e: contracts.ContractSigned) -> None:
    batch.write(
        "INSERT INTO v_contracts VALUES (?,?,?,?,?,?,?,?,?,0,NULL,'',?,?,?,?,?,?,'')",
        (e.collective, e.number, e.kind, e.direction, e.party, e.party_id, e.amount_fen, e.start.isoformat(),
         e.end.isoformat(), e.subject, e.method, e.resolution, e.signed_on.isoformat(), e.operator, position),
    )
    _schedule(batch, e.collective, f"contract:{e.number}", e.schedule)


def contract_settled(batch: Batch, position: int, e: contracts.ContractSettled) -> None:
    batch.write("UPDATE v_contracts SET settled_fen = settled_fen + ? WHERE collective = ? AND number = ?",
                (e.amount_fen, e.collective, e.number))
    _move(batch, position, e, f"contract:{e.number}", "collect" if e.direction == "income" else "pay", e.amount_fen, voucher=e.voucher)


def contract_amended(batch: Batch, position: int, e: contracts.ContractAmended) -> None:
    # An amendment approved by a resolution (补正, domain.md §5) gives the contract that resolution.
    batch.write("UPDATE v_contracts SET amount_fen = ?, end_date = ?, resolution = CASE WHEN ? = '' THEN resolution ELSE ? END"
                " WHERE collective = ? AND number = ?",
                (e.amount_fen, e.end.isoformat(), e.resolution, e.resolution, e.collective, e.number))
    _schedule(batch, e.collective, f"contract:{e.number}", e.schedule)


def contract_terminated(batch: Batch, position: int, e: contracts.ContractTerminated) -> None:
    batch.write("UPDATE v_contracts SET terminated_on = ? WHERE collective = ? AND number = ?",
                (e.date.isoformat(), e.collective, e.number))


def contract_reviewed(batch: Batch, position: int, e: contracts.ContractReviewed) -> None:
    batch.write("UPDATE v_contracts SET last_review = ?, reviewed_by = ? WHERE collective = ? AND number = ?",
                (e.result, e.operator, e.collective, e.number))


def asset_added(batch: Batch, position: int, e: assets.AssetAdded) -> None:
    batch.write("INSERT INTO v_assets VALUES (?,?,?,?,?,?,?,?,?,NULL,NULL)",
                (e.collective, e.number, e.name, e.category, e.account, e.value_fen, e.acquired.isoformat(), e.location, e.voucher))


def asset_disposed(batch: Batch, position: int, e: assets.AssetDisposed) -> None:
    batch.write("UPDATE v_assets SET disposed_on = ?, disposal_fen = ? WHERE collective = ? AND number = ?",
                (e.date.isoformat(), e.amount_fen, e.collective, e.number))


def resource_added(batch: Batch, position: int, e: assets.ResourceAdded) -> None:
    batch.write("INSERT INTO v_resources VALUES (?,?,?,?,?,?)", (e.collective, e.number, e.name, e.type, e.area_cmu, e.location))


def lease_signed(batch: Batch, position: int, e: leases.LeaseSigned) -> None:
    batch.write(
        "INSERT INTO v_leases VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,NULL,?,?,?,?)",
        (e.collective, e.number, e.item, e.item_kind, e.item_type, e.area_cmu, e.lessee, e.lessee_id, e.rent_fen,
         e.per, e.start.isoformat(), e.end.isoformat(), sum(i.amount_fen for i in e.schedule), e.method,
         e.resolution, e.signed_on.isoformat(), position),
    )
    _schedule(batch, e.collective, f"lease:{e.number}", e.schedule)


def lease_collected(batch: Batch, position: int, e: leases.LeaseCollected) -> None:
    batch.write("UPDATE v_leases SET collected_fen = collected_fen + ? WHERE collective = ? AND number = ?",
                (e.amount_fen, e.collective, e.number))
    _move(batch, position, e, f"lease:{e.number}", "collect", e.amount_fen, voucher=e.voucher)


def lease_ended(batch: Batch, position: int, e: leases.LeaseEnded) -> None:
    batch.write("UPDATE v_leases SET ended_on = ?, total_fen = ? WHERE collective = ? AND number = ?",
                (e.date.isoformat(), e.total_fen, e.collective, e.number))


def debt_added(batch: Batch, position: int, e: debts.DebtAdded) -> None:
    batch.write(
        "INSERT INTO v_debts VALUES (?,?,?,?,?,?,?,?,?,?,?,0,0,?)",
        (e.collective, e.number, e.direction, e.party, e.party_id, e.amount_fen, e.date.isoformat(),
         e.due.isoformat() if e.due else None, e.account, e.origin, e.voucher, position),
    )


def debt_settled(batch: Batch, position: int, e: debts.DebtSettled) -> None:
    batch.write("UPDATE v_debts SET settled_fen = settled_fen + ? WHERE collective = ? AND number = ?",
                (e.amount_fen, e.collective, e.number))
    _move(batch, position, e, f"debt:{e.number}", "settle", e.amount_fen, voucher=e.voucher)


def debt_written_off(batch: Batch, position: int, e: debts.DebtWrittenOff) -> None:
    batch.write("UPDATE v_debts SET written_off_fen = written_off_fen + ? WHERE collective = ? AND number = ?",
                (e.amount_fen, e.collective, e.number))
    _move(batch, position, e, f"debt:{e.number}", "write_off", e.amount_fen, note=e.resolution, voucher=e.voucher)


def subsidy_received(batch: Batch, position: int, e: subsidies.SubsidyReceived) -> None:
    batch.write(
        "INSERT INTO v_subsidies VALUES (?,?,?,?,?,?,?,0,0,?) ON CONFLICT (collective, number) DO UPDATE SET "
        "received_fen = v_subsidies.received_fen + excluded.received_fen",
        (e.collective, e.number, e.program, e.source, int(e.earmarked), "、".join(e.purposes), e.amount_fen, e.date.isoformat()),
    )
    _move(batch, position, e, f"subsidy:{e.number}", "receive", e.amount_fen, voucher=e.voucher)


def subsidy_spent(batch: Batch, position: int, e: subsidies.SubsidySpent) -> None:
    batch.write("UPDATE v_subsidies SET spent_fen = spent_fen + ? WHERE collective = ? AND number = ?",
                (e.amount_fen, e.collective, e.number))
    _move(batch, position, e, f"subsidy:{e.number}", "spend", e.amount_fen, note=f"{e.purpose}｜{e.payee}", voucher=e.voucher)


def subsidy_returned(batch: Batch, position: int, e: subsidies.SubsidyReturned) -> None:
    batch.write("UPDATE v_subsidies SET returned_fen = returned_fen + ? WHERE collective = ? AND number = ?",
                (e.amount_fen, e.collective, e.number))
    _move(batch, position, e, f"subsidy:{e.number}", "return", e.amount_fen, voucher=e.voucher)


HANDLERS = {
    "contract.Signed.v1": contract_signed,
    "contract.Settled.v1": contract_settled,
    "contract.Amended.v1": contract_amended,
    "contract.Terminated.v1": contract_terminated,
    "contract.Reviewed.v1": contract_reviewed,
    "asset.Added.v1": asset_added,
    "asset.Disposed.v1": asset_disposed,
    "resource.Added.v1": resource_added,
    "lease.Signed.v1": lease_signed,
    "lease.Collected.v1": lease_collected,
    "lease.Ended.v1": lease_ended,
    "debt.Added.v1": debt_added,
    "debt.Settled.v1": debt_settled,
    "debt.WrittenOff.v1": debt_written_off,
    "subsidy.Received.v1": subsidy_received,
    "subsidy.Spent.v1": subsidy_spent,
    "subsidy.Returned.v1": subsidy_returned,
}
