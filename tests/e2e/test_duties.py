"""Separation of duties (issue 5), over every command `sanzi --help` lists.

An auditor only reads and records audit events: every other write command
refuses them (exit 1, the store exactly as before). A supervisor approves what
others recorded and records nothing themselves, so they can never approve their
own record. The command list comes from the CLI itself: a new command fails
`test_every_command_is_classified` until it is put in READS or WRITES here,
and a new write command then runs in the refusal tests.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from sanzi_ledger.commands import books, disclosure, registers, setup
from sanzi_ledger.domain.schedules import Instalment
from tests.e2e.test_cli import _state, sanzi
from tests.support import ACCOUNTANT, CASHIER, SUPERVISOR, lines, new_ledger

AUDITOR, HEAD = "孙审计", "张书记"
D = date.fromisoformat

# Commands that write nothing to the store (reports, lists, checks, files outside the store).
READS = frozenset({
    "account list", "asset list", "board list", "collective list", "contract list", "contract show", "debt aging",
    "debt list", "disclose site", "disclose status", "disclose verify", "lease list", "member list", "period status",
    "report balance-sheet", "report income", "report ledger", "report trial-balance", "resource list", "subsidy list",
    "voucher list", "voucher show",
    "audit verify", "audit list", "audit show", "audit report", "audit flags", "audit rules", "audit history",
    "audit replay", "audit export", "audit keys",
    "export beancount", "export jsonl", "export hledger", "import template",
})
# What an auditor may write: the audit record itself, and seals and their own signing key.
AUDIT_WRITES = frozenset({"audit open", "audit finding", "audit rectify", "audit close", "audit seal", "audit keygen"})
# Every other write, with arguments that name real records of the store below, so only the role can refuse.
WRITES: dict[str, tuple[str, ...]] = {
    "account add": ("112001", "--name", "应收款-张三"),
    "asset add": ("ZC-02", "--name", "拖拉机", "--category", "机器设备", "--value", "1000", "--acquired", "2025-02-10"),
    "asset dispose": ("ZC-01", "--date", "2025-02-20", "--amount", "100", "--reason", "报废", "--resolution", "村决〔2025〕1号"),
    "board add": ("二号公开栏", "--location", "村口", "--cadence", "monthly"),
    "collective add": ("330100009", "--name", "西山村", "--township", "东山镇", "--county", "临安区"),
    "contract amend": ("HT-01", "--reason", "调价", "--amount", "20000"),
    "contract collect": ("HT-01", "--amount", "100", "--date", "2025-02-20"),
    "contract pay": ("HT-02", "--amount", "100", "--date", "2025-02-20"),
    "contract review": ("HT-01", "--result", "规范"),
    "contract sign": ("HT-09", "--kind", "发包", "--party", "东山果业合作社", "--amount", "1000", "--start", "2025-01-01",
                      "--end", "2025-12-31"),
    "contract terminate": ("HT-01", "--date", "2025-02-25", "--reason", "协商一致"),
    "debt add": ("ZQ-09", "--direction", "receivable", "--party", "王五", "--amount", "100", "--date", "2025-02-10"),
    "debt settle": ("ZQ-01", "--amount", "100", "--date", "2025-02-20"),
    "debt write-off": ("ZQ-01", "--amount", "100", "--reason", "无法收回", "--resolution", "村决〔2025〕2号"),
    "disclose draft": ("--board", "一号公开栏", "--period", "2025-01"),
    "disclose publish": ("GK-2025-001", "--out", "{tmp}/公开栏"),
    "disclose review": ("GK-2025-001", "--opinion", "同意"),
    "lease collect": ("ZL-01", "--amount", "100", "--date", "2025-02-20"),
    "lease end": ("ZL-01", "--date", "2025-02-25", "--reason", "到期"),
    "lease sign": ("ZL-09", "--item", "ZY-01", "--area", "10", "--lessee", "李四", "--rent", "1000", "--per", "year", "--start", "2025-01-01",
                   "--end", "2025-12-31"),
    "member add": ("新出纳", "--role", "cashier"),
    "period close": ("2025-02",),
    "resource add": ("ZY-09", "--name", "荒山", "--type", "四荒地", "--area", "10"),
    "subsidy receive": ("BZ-09", "--program", "道路养护补助", "--source", "县", "--amount", "100", "--date", "2025-02-10"),
    "subsidy return": ("BZ-01", "--amount", "100", "--date", "2025-02-20"),
    "subsidy spend": ("BZ-01", "--amount", "100", "--date", "2025-02-20", "--purpose", "修路", "--payee", "某公司"),
    "voucher post": ("--date", "2025-02-20", "--summary", "测试", "--debit", "513=100", "--credit", "101=100"),
    "voucher reverse": ("记-2025-01-0001", "--reason", "记错"),
    "import": ("{tmp}/vouchers.csv", "--kind", "vouchers"),
}
# Commands that make a store rather than write into one: on an existing store they write nothing.
STORE_MAKERS = {"init": ((), 0, None), "demo": ((), 1, "demo.store_exists")}
ROLE_REFUSALS = {"member.wrong_role", "duties.reviewer_only"}
# Who each write is for, when not the accountant; and what must happen first.
OPERATORS = {"disclose review": SUPERVISOR, "contract collect": CASHIER, "voucher post": CASHIER}
BEFORE = {"disclose publish": (("disclose review", SUPERVISOR),)}
# An approval is a review of what someone else recorded.
SUPERVISOR_WRITES = frozenset({"disclose review", "contract review"})


def cli_commands() -> set[str]:
    """Every leaf command, as typed ('voucher post'), from the CLI itself."""
    import typer.main

    from sanzi_ledger.cli import main

    main._register(["--help"])
    found: set[str] = set()

    def walk(command, path: str) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}".strip())
        else:
            found.add(path)

    walk(typer.main.get_command(main.app), "")
    return found


COMMANDS = cli_commands()


def test_every_command_is_classified():
    unclassified = COMMANDS - READS - AUDIT_WRITES - set(WRITES) - set(STORE_MAKERS)
    assert not unclassified, (f"classify {sorted(unclassified)} in tests/e2e/test_duties.py: READS if it writes nothing "
                              "to the store, else WRITES with arguments (and make its handler check the role)")
    assert {"voucher post", "contract review", "disclose review", "collective add"} <= COMMANDS


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> dict:
    """A village with one record of every kind, a closed month and a draft disclosure (built in-process: fast)."""
    tmp = tmp_path_factory.mktemp("duties")
    db = str(tmp / "village.db")
    led = new_ledger(db)
    try:
        for name, role in ((AUDITOR, "auditor"), (HEAD, "head")):
            setup.add_member(led, setup.AddMember(name=name, role=role))
        books.post_voucher(led, books.PostVoucher(day=D("2025-01-05"), summary="期初", lines=lines(
            {"102": 5_000_000, "101": 200_000, "112": 100_000}, {"301": 5_300_000})))
        registers.sign_contract(led, registers.SignContract(
            number="HT-01", kind="发包", party="东山果业合作社", amount_fen=2_000_000, start=D("2025-01-01"),
            end=D("2025-12-31"), schedule=(Instalment(due=D("2025-01-15"), amount_fen=2_000_000),), signed_on=D("2025-01-01")))
        registers.sign_contract(led, registers.SignContract(
            number="HT-02", kind="工程", party="东山建筑队", amount_fen=500_000, start=D("2025-01-01"), end=D("2025-06-30"),
            signed_on=D("2025-01-01")))
        registers.add_asset(led, registers.AddAsset(number="ZC-01", name="拖拉机", category="机器设备",
                                                    value_fen=600_000, acquired=D("2025-01-06")))
        registers.add_resource(led, registers.AddResource(number="ZY-01", name="东坡耕地", type="耕地", area_cmu=5_000))
        registers.sign_lease(led, registers.SignLease(
            number="ZL-01", item="ZY-01", area_cmu=2_000, lessee="李四", rent_fen=500_000, per="year", start=D("2025-01-01"),
            end=D("2027-12-31"), signed_on=D("2025-01-01")))
        registers.add_debt(led, registers.AddDebt(number="ZQ-01", direction="receivable", party="王五", amount_fen=100_000,
                                                  day=D("2025-01-02")))
        registers.receive_subsidy(led, registers.ReceiveSubsidy(number="BZ-01", program="道路硬化补助", source="县",
                                                                amount_fen=1_000_000, day=D("2025-01-08"), earmarked=True,
                                                                purposes=("修路",)))
        disclosure.add_board(led, disclosure.AddBoard(name="一号公开栏", location="村委会大院东侧", cadence="monthly"))
        books.close_period(led, books.ClosePeriod(month="2025-01"))
        disclosure.draft(led, disclosure.DraftDisclosure(board="一号公开栏", period="2025-01"))
    finally:
        led.close()
    (tmp / "vouchers.csv").write_text("日期,凭证号,摘要,科目编码,借方金额,贷方金额\n"
                                      "2025-02-21,1,办公费,513,100.00,\n2025-02-21,1,办公费,101,,100.00\n", "utf-8")
    return {"db": db, "tmp": str(tmp)}


def _args(command: str, tmp: str) -> list[str]:
    return [*command.split(), *(arg.replace("{tmp}", tmp) for arg in WRITES[command])]


@pytest.mark.parametrize("command", sorted(c for c in WRITES if c in COMMANDS))
def test_an_auditor_is_refused_by_every_write_command_but_the_audit_ones(store, command):
    before = _state(store["db"])
    done = sanzi("--json", *_args(command, store["tmp"]), db=store["db"], operator=AUDITOR, check=1)
    error = json.loads(done.stdout)["error"]
    assert error["code"] in ROLE_REFUSALS and error["field"] == "operator", error
    assert "审计" in error["message"]
    assert _state(store["db"]) == before


@pytest.mark.parametrize("command", sorted(c for c in STORE_MAKERS if c in COMMANDS))
def test_an_auditor_cannot_make_or_remake_a_store_over_the_audited_one(store, command):
    args, exit_code, code = STORE_MAKERS[command]
    before = _state(store["db"])
    done = sanzi("--json", command, *args, db=store["db"], operator=AUDITOR, check=exit_code)
    if code:
        assert json.loads(done.stdout)["error"]["code"] == code
    assert _state(store["db"]) == before


def test_a_supervisor_records_nothing_so_never_approves_their_own_record(store):
    """The supervisor runs every write but the two reviews: each is refused for the role."""
    from typer.testing import CliRunner

    from sanzi_ledger.cli import main
    from sanzi_ledger.errors import Refusal

    before = _state(store["db"])
    runner = CliRunner()
    accepted = []
    for command in sorted(c for c in WRITES if c in COMMANDS and c not in SUPERVISOR_WRITES):
        result = runner.invoke(main.app, ["--db", store["db"], "--operator", SUPERVISOR, *_args(command, store["tmp"])])
        if not (isinstance(result.exception, Refusal) and result.exception.code in ROLE_REFUSALS):
            accepted.append((command, result.exit_code, repr(result.exception)))
    assert not accepted
    assert _state(store["db"]) == before


def test_the_same_arguments_are_accepted_from_the_role_the_command_is_for(store, tmp_path):
    """So the refusals above are the role's doing, not bad arguments: each write, on a fresh copy of
    the store, succeeds for the accountant (the supervisor for the review, the cashier for money)."""
    import shutil

    from typer.testing import CliRunner

    from sanzi_ledger.cli import main

    runner = CliRunner()
    failed = []
    for command in sorted(c for c in WRITES if c in COMMANDS):
        db = str(tmp_path / f"{command.replace(' ', '-')}.db")
        shutil.copy(store["db"], db)
        steps = [*BEFORE.get(command, ()), (command, OPERATORS.get(command, ACCOUNTANT))]
        for step, operator in steps:
            result = runner.invoke(main.app, ["--db", db, "--operator", operator, *_args(step, store["tmp"])])
            if result.exit_code != 0:
                failed.append((step, operator, repr(result.exception)))
                break
    assert not failed
