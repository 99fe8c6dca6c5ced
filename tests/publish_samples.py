"""Realistic published disclosures for the renderer tests (HTML, site, XLSX, CSV, PDF).

Two townships, three villages, monthly and quarterly boards, all eight
sections, one empty section (本期无发生额), one 更正公开, and counterparties
whose names are markup (they must always print as text). Identifiers are
already masked, as the document builder leaves them (first 6 + last 4 of a
身份证号, first 3 + last 4 of a phone number).

Numbers follow the ledger's rule (GK-<year>-<seq>, gap-free per collective
and year), so two collectives both have a GK-2025-001.

Everything here is deterministic: the same call returns equal publications,
so renderers can be checked for byte-identical output.
"""

from __future__ import annotations

import hashlib

from sanzi_ledger.publish.document import (
    Column,
    Document,
    Publication,
    Section,
    Signoff,
)

SCRIPT_NAME = "<script>alert(1)</script>"
ATTR_NAME = "\"'><img src=x onerror=alert(1)>"
MASKED_ID = "110105********002X"
MASKED_ID_2 = "130283********4517"
MASKED_PHONE = "138****5678"

COUNTY = "安宁县"


def _c(key: str, title: str, kind: str = "text") -> Column:
    return Column(key=key, title=title, kind=kind)  # type: ignore[arg-type]


def _sum(rows, index: int) -> int:
    return sum(r[index] for r in rows if isinstance(r[index], int))


def _totals(columns, rows, label: str = "合计") -> tuple:
    out: list = []
    for i, col in enumerate(columns):
        if i == 0:
            out.append(label)
        elif col.kind in ("money", "area", "count"):
            out.append(_sum(rows, i))
        else:
            out.append(None)
    return tuple(out)


def _section(key: str, title: str, columns: list[Column], rows: list[tuple], *,
             totals: bool = True, note: str = "") -> Section:
    cols = tuple(columns)
    rows_t = tuple(tuple(r) for r in rows)
    if not rows_t:
        return Section(key=key, title=title, columns=cols, rows=(), totals=None,
                       note=note or "本期无发生额")
    return Section(key=key, title=title, columns=cols, rows=rows_t,
                   totals=_totals(cols, rows_t) if totals else None, note=note)


# --- the eight sections -------------------------------------------------------------

def income_expense(rows: list[tuple]) -> Section:
    cols = [_c("date", "日期", "date"), _c("voucher", "凭证号"), _c("summary", "摘要"),
            _c("counterparty", "对方单位/个人"), _c("income", "收入（元）", "money"),
            _c("expense", "支出（元）", "money")]
    return _section("income_expense", "一、财务收支明细", cols, rows)


def assets(rows: list[tuple]) -> Section:
    cols = [_c("name", "资产名称"), _c("category", "类别"), _c("quantity", "数量", "count"),
            _c("original", "原值（元）", "money"), _c("net", "净值（元）", "money"),
            _c("keeper", "存放地点/使用人")]
    return _section("assets", "二、资产情况", cols, rows)


def resources(rows: list[tuple]) -> Section:
    cols = [_c("name", "资源名称"), _c("category", "类别"), _c("area", "面积（亩）", "area"),
            _c("user", "承包/使用方"), _c("use", "用途及期限")]
    return _section("resources", "三、资源情况", cols, rows)


def contracts(rows: list[tuple]) -> Section:
    cols = [_c("number", "合同编号"), _c("subject", "标的"), _c("party", "承包/承租方"),
            _c("term", "期限"), _c("amount", "合同金额（元）", "money"),
            _c("due", "本期应收（元）", "money"), _c("received", "本期实收（元）", "money"),
            _c("resolution", "决议文号")]
    return _section("contracts", "四、合同履行情况", cols, rows)


def debts(rows: list[tuple]) -> Section:
    cols = [_c("kind", "类别"), _c("party", "债务人/债权人"), _c("id", "身份证号/电话"),
            _c("amount", "金额（元）", "money"), _c("since", "发生日期", "date"),
            _c("age", "账龄"), _c("status", "清收/化解情况")]
    return _section("debts", "五、债权债务情况", cols, rows)


def subsidies(rows: list[tuple]) -> Section:
    cols = [_c("project", "项目"), _c("source", "资金来源"), _c("received", "到账金额（元）", "money"),
            _c("used", "已用金额（元）", "money"), _c("balance", "结余（元）", "money"),
            _c("recipients", "受益户数", "count")]
    return _section("subsidies", "六、补助资金", cols, rows)


def distribution(rows: list[tuple]) -> Section:
    cols = [_c("head", "户主"), _c("id", "身份证号"), _c("persons", "人口", "count"),
            _c("shares", "股数", "count"), _c("amount", "分配金额（元）", "money"),
            _c("remark", "备注")]
    return _section("distribution", "七、收益分配", cols, rows)


def other(rows: list[tuple]) -> Section:
    cols = [_c("matter", "事项"), _c("detail", "说明"), _c("amount", "金额（元）", "money"),
            _c("resolution", "决议文号")]
    return _section("other", "八、其他事项", cols, rows)


# --- documents ------------------------------------------------------------------

def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def _signoffs(date: str, names: tuple[str, str, str]) -> tuple[Signoff, ...]:
    return (
        Signoff(role="民主理财小组组长", name=names[0], at=f"{date}T09:30:00+08:00",
                opinion="经逐笔核对原始凭证，内容真实、完整，同意公开。"),
        Signoff(role="村务监督委员会主任", name=names[1], at=f"{date}T10:05:00+08:00",
                opinion="同意公开。"),
        Signoff(role="村务监督委员", name=names[2], at=f"{date}T10:20:00+08:00",
                opinion="核对无误。"),
    )


def _publication(number: str, doc: Document, position: int, published_at: str,
                 posted_until: str, signoffs: tuple[Signoff, ...],
                 published_by: str = "会计 刘秀英") -> Publication:
    content_hash = doc.content_hash()
    return Publication(number=number, document=doc, content_hash=content_hash,
                       signoffs=signoffs, seal_position=position,
                       seal_digest=_digest(number, content_hash, str(position)),
                       published_at=published_at, published_by=published_by,
                       posted_until=posted_until)


def _doc(*, code: str, name: str, township: str, board: str, location: str, channel: str,
         period: str, first: str, last: str, cadence: str, title: str,
         sections: tuple[Section, ...], corrects: str = "", drafted_at: str) -> Document:
    return Document(collective_code=code, collective_name=name, township=township,
                    county=COUNTY, board_name=board, board_location=location,
                    board_channel=channel, period_label=period, period_first=first,
                    period_last=last, cadence=cadence, title=title, sections=sections,
                    corrects=corrects, drafted_by="刘秀英", drafted_at=drafted_at)


DONGSHAN = dict(code="N1532010001", name="东山村股份经济合作社", township="青石镇",
                board="村委会门前公开栏", location="东山村村委会大院东墙（村民服务中心门口）",
                channel="https://gk.example.gov.cn/qingshi/dongshan")
XIHE = dict(code="N1532010002", name="西河村股份经济合作社", township="青石镇",
            board="村部公开栏", location="西河村村部广场北侧", channel="")
NANLING = dict(code="N1532020001", name="南岭村股份经济合作社", township="白塔乡",
               board="村口公开栏", location="南岭村村口大槐树下",
               channel="https://gk.example.gov.cn/baita/nanling")
NANLING_GROUP = dict(NANLING, board="三组公开栏", location="南岭村三组晒场旁",
                     channel="")


def _dongshan_sections(month: int, *, corrected: bool = False) -> tuple[Section, ...]:
    m = f"2025-{month:02d}"
    ie_rows = [
        (f"{m}-03", f"记-{month:02d}-001", "收取东山水库承包费（2025年度）", "王建国", 1_200_000, None),
        (f"{m}-05", f"记-{month:02d}-002", "支付村道路灯电费", "国网安宁县供电公司", None, 86_540),
        (f"{m}-08", f"记-{month:02d}-003", "收取厂房租金", SCRIPT_NAME, 3_600_000, None),
        (f"{m}-12", f"记-{month:02d}-004", "支付保洁员工资（3人）", "李桂兰等3人", None, 540_000),
        (f"{m}-15", f"记-{month:02d}-005", "采购办公用品", ATTR_NAME, None, 23_880),
        (f"{m}-20", f"记-{month:02d}-006", "收到上级转移支付（村级组织运转经费）", "青石镇财政所",
         5_000_000, None),
        (f"{m}-26", f"记-{month:02d}-007", "支付村民小组长误工补贴", "张德明等6人", None,
         360_000 if not corrected else 396_000),
        (f"{m}-28", f"记-{month:02d}-008", "银行存款利息", "安宁农商银行青石支行", 12_345, None),
    ]
    return (
        income_expense(ie_rows),
        assets([
            ("村委会办公楼", "房屋及建筑物", 1, 186_000_000, 142_350_000, "村委会"),
            ("标准化厂房（二号）", "经营性资产", 1, 420_000_000, 371_700_000, f"出租给 {SCRIPT_NAME}"),
            ("小型挖掘机", "机器设备", 1, 28_500_000, 17_100_000, "村集体仓库"),
            ("太阳能路灯", "公益性资产", 64, 19_200_000, 15_360_000, "村内主干道"),
        ]),
        resources([
            ("东山水库", "水面", 8_650, "王建国", "养殖，2023-01-01至2032-12-31"),
            ("后山林地", "林地", 126_000, "集体统一经营", "生态公益林"),
            ("东坡耕地（机动地）", "耕地", 2_350, "赵春燕", "种植，2024-03-01至2029-02-28"),
            ("老砖厂旧址", "集体建设用地", 1_280, SCRIPT_NAME, "厂房，2022-07-01至2037-06-30"),
        ]),
        contracts([
            ("DS-HT-2023-004", "东山水库承包", "王建国", "2023-01至2032-12", 12_000_000,
             1_200_000, 1_200_000, "东山村民代表会决〔2022〕9号"),
            ("DS-HT-2022-011", "二号厂房租赁", SCRIPT_NAME, "2022-07至2037-06", 64_800_000,
             3_600_000, 3_600_000, "东山村民代表会决〔2022〕5号"),
            ("DS-HT-2024-002", "东坡机动地承包", "赵春燕", "2024-03至2029-02", 1_175_000,
             0, 0, "东山村民代表会决〔2024〕1号"),
        ]),
        debts([
            ("应收款", "陈志强", MASKED_ID, 1_500_000, "2021-04-18", "3年以上", "已下达催收通知书"),
            ("应收款", ATTR_NAME, MASKED_PHONE, 280_000, "2024-11-02", "1年以内", "分期还款中"),
            ("应付款", "安宁县宏达建筑有限公司", "—", 4_260_000, "2023-09-30", "1-2年",
             "工程质保金，2025年9月到期"),
        ]),
        subsidies([
            ("高标准农田建设项目", "县农业农村局", 30_000_000, 21_450_000, 8_550_000, 146),
            ("耕地地力保护补贴（代发）", "县财政局", 4_832_100, 4_832_100, 0, 412),
        ]),
        distribution([
            ("王建国", MASKED_ID, 4, 4, 48_000, ""),
            ("李桂兰", MASKED_ID_2, 3, 3, 36_000, ""),
            ("陈志强", "110105********1234", 5, 5, 60_000, "抵扣欠款"),
        ]),
        other([
            ("一事一议：三组道路硬化", "筹资每人30元，共计1,236人；筹劳折资", 3_708_000,
             "东山村民代表会决〔2025〕2号"),
            ("村级组织运转经费使用", "详见财务收支明细", 5_000_000, ""),
        ]),
    )


def _xihe_sections() -> tuple[Section, ...]:
    return (
        income_expense([
            ("2025-01-10", "记-01-001", "收取鱼塘承包费", "孙立新", 860_000, None),
            ("2025-02-14", "记-02-003", "支付春节慰问困难户", "困难户12户", None, 240_000),
            ("2025-03-06", "记-03-002", "支付河道清淤劳务费", "周海波施工队", None, 1_850_000),
            ("2025-03-21", "记-03-007", "收到生态补偿资金", "县林业局", 2_400_000, None),
        ]),
        assets([("村部综合楼", "房屋及建筑物", 1, 96_000_000, 71_040_000, "村部")]),
        resources([
            ("西河鱼塘", "水面", 2_460, "孙立新", "养殖，2024-01-01至2028-12-31"),
            ("河滩地", "滩涂", 5_125, "集体", "未发包"),
        ]),
        contracts([("XH-HT-2024-001", "西河鱼塘承包", "孙立新", "2024-01至2028-12", 4_300_000,
                    860_000, 860_000, "西河村民代表会决〔2023〕7号")]),
        debts([("应付款", "周海波施工队", "139****0021", 650_000, "2025-03-06", "1年以内",
                "待验收后支付")]),
        subsidies([("生态补偿资金", "县林业局", 2_400_000, 0, 2_400_000, 0)]),
        distribution([]),
        other([("河长制巡河", "本季度巡河26次，无异常", None, "")]),
    )


def _nanling_sections(quarter: bool) -> tuple[Section, ...]:
    return (
        income_expense([
            ("2025-03-02", "记-03-001", "收取茶园承包费", "南岭茶业专业合作社", 2_560_000, None),
            ("2025-03-18", "记-03-004", "支付饮水工程维修费", "钱家富", None, 128_800),
        ]),
        assets([("茶叶加工厂房", "经营性资产", 1, 68_000_000, 54_400_000, "南岭茶业专业合作社")]),
        resources([("南岭茶园", "园地", 32_000, "南岭茶业专业合作社", "种植，2020-01-01至2039-12-31"),
                   ("四荒地（北坡）", "四荒地", 11_050, "集体", "未发包")]),
        contracts([]),  # nothing this period -> 本期无发生额
        debts([("应收款", "钱家富", "522601********0318", 95_000, "2024-06-30", "1年以内",
                "已约定2025年6月前归还")]),
        subsidies([("饮水安全巩固提升", "县水务局", 1_000_000, 128_800, 871_200, 58)]),
        distribution([]) if not quarter else distribution([
            ("吴秀芬", "522601********2046", 3, 3, 45_000, ""),
            ("郑光明", "522601********781X", 6, 6, 90_000, ""),
        ]),
        other([]),
    )


def sample_publications() -> list[Publication]:
    """Six publications: 青石镇 (东山村 monthly ×2 + one 更正公开, 西河村 quarterly)
    and 白塔乡 (南岭村 monthly on one board, quarterly on another)."""
    ds = DONGSHAN
    pubs: list[Publication] = []
    feb = _doc(code=ds["code"], name=ds["name"], township=ds["township"], board=ds["board"],
               location=ds["location"], channel=ds["channel"], period="2025-02",
               first="2025-02-01", last="2025-02-28", cadence="monthly",
               title="东山村股份经济合作社 2025年2月 财务公开", sections=_dongshan_sections(2),
               drafted_at="2025-03-04T16:00:00+08:00")
    pubs.append(_publication("GK-2025-001", feb, 1204, "2025-03-06T09:00:00+08:00",
                             "2025-03-21", _signoffs("2025-03-05", ("张德明", "李秀兰", "王小军"))))
    mar = _doc(code=ds["code"], name=ds["name"], township=ds["township"], board=ds["board"],
               location=ds["location"], channel=ds["channel"], period="2025-03",
               first="2025-03-01", last="2025-03-31", cadence="monthly",
               title="东山村股份经济合作社 2025年3月 财务公开", sections=_dongshan_sections(3),
               drafted_at="2025-04-03T15:20:00+08:00")
    pubs.append(_publication("GK-2025-002", mar, 1388, "2025-04-08T09:00:00+08:00",
                             "2025-04-23", _signoffs("2025-04-07", ("张德明", "李秀兰", "王小军"))))
    fix = _doc(code=ds["code"], name=ds["name"], township=ds["township"], board=ds["board"],
               location=ds["location"], channel=ds["channel"], period="2025-03",
               first="2025-03-01", last="2025-03-31", cadence="adhoc",
               title="东山村股份经济合作社 2025年3月 财务公开（更正）",
               sections=_dongshan_sections(3, corrected=True), corrects="GK-2025-002",
               drafted_at="2025-04-15T11:00:00+08:00")
    pubs.append(_publication("GK-2025-003", fix, 1455, "2025-04-16T09:00:00+08:00",
                             "2025-05-01", _signoffs("2025-04-15", ("张德明", "李秀兰", "王小军"))))
    xh = XIHE
    q1 = _doc(code=xh["code"], name=xh["name"], township=xh["township"], board=xh["board"],
              location=xh["location"], channel=xh["channel"], period="2025-Q1",
              first="2025-01-01", last="2025-03-31", cadence="quarterly",
              title="西河村股份经济合作社 2025年第一季度 财务公开", sections=_xihe_sections(),
              drafted_at="2025-04-11T10:00:00+08:00")
    pubs.append(_publication("GK-2025-001", q1, 311, "2025-04-14T08:30:00+08:00",
                             "2025-04-29", _signoffs("2025-04-12", ("孙玉梅", "周建华", "吴刚")),
                             published_by="会计 孙玉梅"))
    nl = NANLING
    nl_m = _doc(code=nl["code"], name=nl["name"], township=nl["township"], board=nl["board"],
                location=nl["location"], channel=nl["channel"], period="2025-03",
                first="2025-03-01", last="2025-03-31", cadence="monthly",
                title="南岭村股份经济合作社 2025年3月 财务公开", sections=_nanling_sections(False),
                drafted_at="2025-04-08T14:00:00+08:00")
    pubs.append(_publication("GK-2025-001", nl_m, 97, "2025-04-09T09:00:00+08:00",
                             "2025-04-24", _signoffs("2025-04-09", ("钱玉珍", "郑国强", "何丽")),
                             published_by="会计 钱玉珍"))
    ng = NANLING_GROUP
    nl_q = _doc(code=ng["code"], name=ng["name"], township=ng["township"], board=ng["board"],
                location=ng["location"], channel=ng["channel"], period="2025-Q1",
                first="2025-01-01", last="2025-03-31", cadence="quarterly",
                title="南岭村股份经济合作社 2025年第一季度 收益分配公开",
                sections=_nanling_sections(True), drafted_at="2025-04-10T14:00:00+08:00")
    pubs.append(_publication("GK-2025-002", nl_q, 104, "2025-04-11T09:00:00+08:00",
                             "2025-04-26", _signoffs("2025-04-10", ("钱玉珍", "郑国强", "何丽")),
                             published_by="会计 钱玉珍"))
    return pubs
