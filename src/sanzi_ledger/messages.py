"""Every user-facing refusal, in Chinese and English: one place per message.

A template may use the refusal's `record`, `field`, `value` and its params.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanzi_ledger.errors import Refusal

MESSAGES: dict[str, tuple[str, str]] = {
    # money, dates, text
    "money.format": ("金额格式不对：应为元，如 1200、1200.5 或 1,200.50", "amount must be yuan such as 1200, 1200.5 or 1,200.50"),
    "money.too_many_decimals": ("金额最多两位小数（到分）", "an amount has at most two decimals (fen)"),
    "money.too_large": ("金额超过上限 {limit} 元", "amount exceeds the limit of {limit} yuan"),
    "money.not_positive": ("金额必须大于零", "amount must be greater than zero"),
    "area.format": ("面积格式不对：应为亩数，如 12、12.5 或 1,200.25", "area must be mu such as 12, 12.5 or 1,200.25"),
    "area.too_many_decimals": ("面积最多两位小数", "an area has at most two decimals"),
    "date.format": ("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD"),
    "date.nonexistent": ("日历上没有这一天", "no such day in the calendar"),
    "date.out_of_range": ("日期年份超出范围", "the date's year is out of range"),
    "period.month_format": ("期间应为 YYYY-MM", "period must be YYYY-MM"),
    "period.format": ("期间应为 YYYY-MM、YYYY-Qn 或 YYYY", "period must be YYYY-MM, YYYY-Qn or YYYY"),
    "text.empty": ("不能为空", "must not be empty"),
    "text.control_chars": ("含有控制字符（打印时看不见，不允许）", "contains control characters, which are not allowed"),
    "text.too_long": ("太长：{chars} 字，上限 {chars_max} 字", "too long: {chars} characters, limit {chars_max}"),
    # ledger and collectives
    "ledger.not_initialised": ("账套尚未初始化，请先运行 sanzi init", "the store is not initialised: run `sanzi init` first"),
    "ledger.chart_unknown": ("不支持的会计科目体系（记账请用 2024 制度）", "unknown chart of accounts (books are kept in the 2024 chart)"),
    "ledger.chart_mismatch": ("账套已用 {existing} 科目体系初始化", "the store was initialised with chart {existing}"),
    "collective.code_format": ("集体经济组织代码应为 2–18 位大写字母或数字", "a collective code is 2-18 upper-case letters or digits"),
    "collective.duplicate": ("该集体经济组织代码已登记", "this collective code is already registered"),
    "collective.level": ("层级应为 {allowed}", "level must be one of {allowed}"),
    "collective.unknown": ("没有这个集体经济组织", "no such collective"),
    "collective.ambiguous": ("账套中有多个集体经济组织，请用 -c 指定：{known}", "the store holds several collectives; choose one with -c: {known}"),
    "collective.none": ("账套中还没有集体经济组织，请先 sanzi collective add", "no collective yet: run `sanzi collective add`"),
    "member.role": ("角色应为 {allowed}", "role must be one of {allowed}"),
    "member.first_must_be_operator": ("第一位成员须是操作员本人（{operator}），角色为 {allowed}，否则以后无人能再登记成员", "the first member must be the operator ({operator}) as {allowed}, or nobody could add the next one"),
    "member.duplicate": ("此人已登记，角色为 {role}（一人一角色，钱账分管）", "already registered with role {role} (one role per person)"),
    "member.unknown_operator": ("操作员不是本集体登记的成员，不能执行 {action}", "the operator is not a registered member and may not run {action}"),
    "member.wrong_role": ("操作员角色为 {role}，{action} 需要 {allowed}", "the operator's role is {role}; {action} needs {allowed}"),
    "operator.missing": ("请用 --operator 或 SANZI_OPERATOR 说明操作员", "name the operator with --operator or SANZI_OPERATOR"),
    "account.code_format": ("明细科目代码应为上级科目代码加 {digits} 位数字", "a sub-account code is its parent's code plus {digits} digits"),
    "account.no_parent": ("上级科目 {parent} 不存在", "parent account {parent} does not exist"),
    "account.duplicate": ("科目代码已存在", "account code already exists"),
    "account.too_many": ("明细科目数量超过上限 {limit}", "more than {limit} sub-accounts"),
    # periods and vouchers
    "period.before_start": ("早于建账期间 {start}", "before the books' start period {start}"),
    "period.closed": ("该月已结账，不能再记账；请在未结账月份用红字冲销更正", "the month is closed; correct by reversal in an open month"),
    "period.already_closed": ("该月已结账", "the month is already closed"),
    "period.previous_open": ("上月 {previous} 尚未结账，须按月顺序结账", "the previous month {previous} is still open; months close in order"),
    "period.too_many_vouchers": ("本月凭证数超过上限 {limit}", "more than {limit} vouchers in one month"),
    "voucher.too_many_lines": ("凭证分录行数 {value} 超过上限 {limit}", "{value} lines exceed the limit of {limit}"),
    "voucher.side_missing": ("凭证至少要有一行借方和一行贷方", "a voucher needs at least one debit and one credit line"),
    "voucher.account_unknown": ("科目 {value} 不在 {chart} 科目表中，也不是已开设的明细科目", "account {value} is not in chart {chart} nor an opened sub-account"),
    "voucher.account_not_leaf": ("科目 {value} {name} 设有明细科目，只能记到末级科目（用 sanzi account list 查看明细科目；台账命令可用 --via 或 --account 指定）", "account {value} {name} has sub-accounts; post to a leaf account"),
    "voucher.unbalanced": ("借贷不平：借方合计 {debit}，贷方合计 {credit}，相差 {difference}", "debits and credits differ: debit {debit}, credit {credit}, difference {difference}"),
    "voucher.future_date": ("业务日期晚于今天 {today}", "the business date is after today {today}"),
    "voucher.attachments": ("附件张数应在 0 到 {limit} 之间", "attachments must be 0 to {limit}"),
    "voucher.unknown": ("没有这张凭证", "no such voucher"),
    "voucher.reverse_reversal": ("这是冲销凭证（冲销 {original}），不能再冲销；请另行记账", "this is a reversal (of {original}) and cannot itself be reversed"),
    "voucher.reverse_closing": ("年终结转凭证不能冲销", "a year-end closing voucher cannot be reversed"),
    "voucher.already_reversed": ("该凭证已被 {by} 冲销，只能冲销一次", "already reversed by {by}; a voucher is reversed once"),
    "voucher.reversal_before_original": ("冲销日期早于原凭证日期 {original}", "the reversal date is before the original's date {original}"),
    "voucher.entry_format": ("分录应写成 科目=金额，如 101=1200", "an entry is ACCOUNT=AMOUNT, e.g. 101=1200"),
    "closing.target_ambiguous": ("科目 {value} 下的结转目标明细科目不唯一（收益分配请开设名含“未分配”的明细科目）", "cannot choose the closing target under {value}"),
    "report.account_unknown": ("没有这个科目", "no such account"),
    # registers: shared
    "party.id_invalid": ("证件号码无效：应为 18 位身份证号或统一社会信用代码（含校验位）", "not a valid resident ID number or unified social credit code"),
    "posting.via": ("收付方式应为 bank（银行）、cash（现金）或具体科目代码", "via must be bank, cash or an account code"),
    "term.end_before_start": ("终止日期不晚于起始日期 {start}", "the end is not after the start {start}"),
    "term.lease_too_long": ("期限超过法定上限 {years} 年", "the term exceeds the legal limit of {years} years"),
    "term.farmland_end": ("耕地期限不得超过第二轮承包到期日 {limit}", "farmland may not be let beyond the second-round end {limit}"),
    "schedule.empty": ("收付款计划为空", "the schedule is empty"),
    "schedule.outside_term": ("计划日期不在期限 {start} 至 {end} 之内", "the due date is outside the term {start} to {end}"),
    "schedule.per": ("计租周期应为 {allowed}", "per must be one of {allowed}"),
    "schedule.too_many": ("计划期数超过上限 {limit}", "more than {limit} instalments"),
    "schedule.over_settlement": ("超出应收付金额：合计 {total}，已收付 {settled}，尚余 {outstanding}", "exceeds what is due: total {total}, settled {settled}, outstanding {outstanding}"),
    "schedule.before_signing": ("早于签订（发生）日期 {signed_on}", "before the signing date {signed_on}"),
    "schedule.total_mismatch": ("计划合计 {total} 与合同金额 {amount} 不符", "the schedule totals {total}, the amount is {amount}"),
    "schedule.entry_format": ("计划应写成 日期=金额，如 2025-03-01=12000", "a due entry is DATE=AMOUNT, e.g. 2025-03-01=12000"),
    "register.status": ("状态应为 {allowed}", "status must be one of {allowed}"),
    # contracts
    "contract.duplicate": ("合同编号已登记", "this contract number is already registered"),
    "contract.unknown": ("没有这份合同", "no such contract"),
    "contract.kind": ("合同类别应为 {allowed}", "kind must be one of {allowed}"),
    "contract.direction": ("该类合同须用 --direction income（收款）或 expense（付款）说明资金方向", "say --direction income or expense for this kind"),
    "contract.method": ("采购/发包方式应为 {allowed}", "method must be one of {allowed}"),
    "contract.wrong_direction": ("这是{expected}合同，不能这样收付（收款用 contract collect，付款用 contract pay）", "this contract's direction is {expected}"),
    "contract.terminated": ("合同已于 {on} 终止", "the contract was terminated on {on}"),
    "contract.amount_below_settled": ("新金额低于已收付的 {settled}", "the new amount is below what was already settled, {settled}"),
    "contract.review_result": ("清理结论应为 {allowed}", "result must be one of {allowed}"),
    # assets and resources
    "item.duplicate": ("编号已被一项{kind}使用（资产与资源共用一套编号）", "the number is already used by an asset or resource ({kind})"),
    "asset.unknown": ("没有这项资产", "no such asset"),
    "asset.category": ("资产类别应为 {allowed}", "category must be one of {allowed}"),
    "asset.disposed": ("该资产已处置", "the asset was disposed of"),
    "asset.dispose_needs_resolution": ("资产处置须有村民（代表）会议决议文号（四议两公开）", "a disposal needs the resolution reference"),
    "asset.leased": ("该资产仍在出租期内，须先终止租赁", "the asset is still let; end the lease first"),
    "resource.type": ("资源类型应为 {allowed}", "type must be one of {allowed}"),
    "resource.area": ("面积（亩）须大于零且不超过上限", "the area (mu) must be positive and within the limit"),
    # leases
    "lease.duplicate": ("租赁合同编号已登记", "this lease number is already registered"),
    "lease.unknown": ("没有这份租赁合同", "no such lease"),
    "lease.item_unknown": ("没有这项资产或资源，请先登记", "no such asset or resource; register it first"),
    "lease.asset_area": ("资产整体出租，不能指定面积", "an asset is let whole; no area"),
    "lease.overlap_asset": ("与租赁 {other}（{start} 至 {end}）期限重叠", "overlaps lease {other} ({start} to {end})"),
    "lease.area_exceeds": ("面积超过该资源总面积 {total} 亩", "more than the resource's {total} mu"),
    "lease.overlap_area": ("同期已出租 {taken} 亩，总面积 {total} 亩，仅余 {free} 亩", "{taken} of {total} mu already let in that period; {free} free"),
    "lease.ended": ("租赁已于 {on} 终止", "the lease ended on {on}"),
    "lease.end_outside_term": ("终止日期不在租期 {start} 至 {end} 之内", "the end date is outside the term {start} to {end}"),
    "voucher.reverse_sourced": ("此凭证由台账业务 {source} 生成，不能单独冲销，否则台账与账簿不符", "this voucher was posted by {source}; reversing it alone would leave the register disagreeing with the books"),
    # debts
    "debt.due_before_date": ("到期日早于发生日期 {start}", "the due date is before the debt's date {start}"),
    "debt.duplicate": ("债权债务编号已登记", "this debt number is already registered"),
    "debt.unknown": ("没有这笔债权债务", "no such debt"),
    "debt.direction": ("方向应为 receivable（债权）或 payable（债务）", "direction must be receivable or payable"),
    "debt.over_settlement": ("超出未结余额：原额 {amount}，尚欠 {outstanding}", "exceeds what is outstanding: amount {amount}, outstanding {outstanding}"),
    "debt.write_off_needs_resolution": ("核销须有村民（代表）会议决议文号", "a write-off needs the resolution reference"),
    # subsidies
    "subsidy.source": ("资金来源应为 {allowed}", "source must be one of {allowed}"),
    "subsidy.unknown": ("没有这笔补助资金", "no such subsidy"),
    "subsidy.earmarked_needs_purpose": ("专项资金须用 --purpose 写明用途", "an earmarked subsidy needs its purposes (--purpose)"),
    "subsidy.too_many_purposes": ("用途数超过上限 {limit}", "more than {limit} purposes"),
    "subsidy.program_mismatch": ("同一编号已登记为 {source}级 {program}（{earmarked}），不一致", "this number is {program} from {source} ({earmarked})"),
    "subsidy.wrong_purpose": ("专项资金只能用于：{allowed}", "earmarked money may only be spent on: {allowed}"),
    "subsidy.overspent": ("超出可用余额：累计收到 {received}，余额 {balance}", "exceeds the balance: received {received}, balance {balance}"),
    # disclosure
    "board.duplicate": ("公开栏名称已登记", "this board name is already registered"),
    "board.unknown": ("没有这个公开栏，请先 sanzi board add", "no such board; add it with `sanzi board add`"),
    "board.cadence": ("公开周期应为 {allowed}", "cadence must be one of {allowed}"),
    "board.section": ("公开内容应为 {allowed}", "content must be among {allowed}"),
    "board.channel": ("网上公开地址应为 http:// 或 https:// 开头的网址", "the online channel must be an http(s) URL"),
    "disclosure.period_cadence": ("该公开栏{cadence}公开，期间不符", "this board discloses {cadence}; the period does not fit"),
    "disclosure.period_open": ("期间内还有未结账的月份：{months}；结账后才能起草公开", "months not yet closed: {months}; close them before drafting"),
    "disclosure.already_published": ("该期已公开（{live}），公开内容不能修改；如需更正，请用 --corrects {live} 起草更正公开", "already published as {live}; draft a correction with --corrects {live}"),
    "disclosure.nothing_to_correct": ("该期尚未公开，没有可更正的内容", "nothing published for that period to correct"),
    "disclosure.unknown": ("没有这份公开草稿", "no such disclosure"),
    "disclosure.own_draft": ("不能审核自己起草的公开内容", "you may not review your own draft"),
    "disclosure.published": ("已经公开，公开内容不能再审核或重复公开", "already published"),
    "disclosure.rejected": ("该草稿已被否决，请重新起草", "this draft was rejected; draft again"),
    "disclosure.reviewed_twice": ("你已审核过这份草稿", "you have already reviewed this draft"),
    "disclosure.not_approved": ("未经监督委员会审核通过，不能公开（{state}）", "not approved by the supervision committee ({state})"),
    "disclosure.not_published": ("这份公开尚未发布", "this disclosure is not published"),
    "disclosure.too_many_other": ("“其他”事项超过上限 {limit} 条", "more than {limit} lines under 'other'"),
    "publish.out_not_folder": ("输出位置不是文件夹", "the output is not a folder"),
    "publish.out_unwritable": ("输出文件夹不存在或不能写入", "the output folder does not exist or is not writable"),
    "publish.out_has_files": ("输出文件夹中已有 {number} 的文件，不会覆盖", "the folder already holds files of {number}; nothing is overwritten"),
    "verify.target": ("应为已公开的文件路径，或至少 16 位十六进制摘要", "give a published file or a digest of at least 16 hex digits"),
    # store
    "demo.store_exists": ("该数据库已存在且不是演示账套，演示不会覆盖它；请用 --out 指定新目录", "that store exists and is not a demo store; choose another --out"),
    "store.folder_missing": ("文件夹 {folder} 不存在", "the folder {folder} does not exist"),
    "store.schema_name": ("schema 名称只能用小写字母、数字和下划线，且不以数字开头（最多 63 个字符）", "a schema name is lower-case letters, digits and underscores, not starting with a digit (63 at most)"),
    "store.url": ("数据库地址无法识别：应为 SQLite 文件路径或 postgresql:// 地址", "the store must be a SQLite file path or a postgresql:// URL"),
    # audit: seals and signatures (keep this marker line; add entries below it)
    "seal.key_file_exists": ("密钥文件已存在，不会覆盖（覆盖会丢掉原来的私钥）；请换一个文件名", "the key file already exists and is not overwritten (that would lose its private key)"),
    "seal.key_folder": ("文件夹 {folder} 不存在或不能写入", "the folder {folder} does not exist or is not writable"),
    "seal.key_missing": ("密钥文件不存在", "no such key file"),
    "seal.key_unreadable": ("读不出密钥文件：应为 sanzi audit keygen 生成的未加密 PEM 私钥（{reason}）", "cannot read the key file: expected an unencrypted PEM private key from `sanzi audit keygen` ({reason})"),
    "seal.key_not_ed25519": ("密钥文件里是 {found}，不是 Ed25519 私钥", "the key file holds {found}, not an Ed25519 private key"),
    "seal.key_not_registered": ("这把密钥（{key_id}）没有登记为操作员的签名密钥；请先用 sanzi audit keygen 生成并登记", "this key ({key_id}) is not registered for the operator; generate and register one with `sanzi audit keygen`"),
    "seal.key_retired": ("这把密钥（{key_id}）已被新登记的密钥 {current} 取代，不能再签新的印章（它以前签的仍然有效）", "this key ({key_id}) was replaced by {current} and signs no new seals (its earlier seals stay valid)"),
    "seal.key_duplicate": ("这把密钥已经登记过", "this key is already registered"),
    "seal.too_many_keys": ("登记的密钥数超过上限 {limit}", "more than {limit} keys registered"),
    "seal.empty_chain": ("账本里还没有事件，无可盖印", "the ledger holds no events to seal"),
    "verify.seal_format": ("外部印章应写成 位置:链头，如 1234:3708faac1b2c3d4e（链头至少 16 位十六进制）", "an external seal is POSITION:HEAD such as 1234:3708faac1b2c3d4e (at least 16 hex digits)"),
    # audit: replay and time travel (keep this marker line; add entries below it)
    "as_of.format": ("时刻应写成 YYYY-MM-DD（北京时间当天结束时）或 YYYY-MM-DDTHH:MM[:SS]（北京时间，可加时区如 +08:00 或 Z）", "a moment is YYYY-MM-DD (the end of that Beijing day) or YYYY-MM-DDTHH:MM[:SS] (Beijing time unless an offset such as +08:00 or Z follows)"),
    "as_of.nonexistent": ("日历或钟表上没有这个时刻", "no such moment in the calendar"),
    "as_of.future": ("这个时刻还没有到（现在是北京时间 {now}）：只能查看已经记录的历史", "that moment is still to come (it is {now} in Beijing now): only recorded history can be shown"),
    "history.unknown": ("没有这个编号的凭证、合同、资产、资源、租赁、债权债务或补助", "no voucher, contract, asset, resource, lease, debt or subsidy has this number"),
    # audit: flags (keep this marker line; add entries below it)
    "config.missing": ("规则配置文件不存在", "the rules file does not exist"),
    "config.syntax": ("规则配置文件不是合法的 TOML：{error}", "the rules file is not valid TOML: {error}"),
    "config.count": ("应为不小于 0 的整数", "must be a whole number, 0 or more"),
    "config.date": ("日期应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "flags.severity": ("预警级别应为 {allowed}", "severity must be one of {allowed}"),
    "flags.rule_unknown": ("没有这条预警规则；现有规则：{known}", "no such rule; the rules are {known}"),
    # audit: evidence bundle
    "export.bundle_suffix": ("证据包是一个 .zip 文件，请以 .zip 结尾", "the evidence bundle is a .zip file: end the name with .zip"),
    "export.out_exists": ("该文件已存在，不会覆盖", "that file exists; it is not overwritten"),
    "export.out_unwritable": ("所在文件夹不存在或不可写", "its folder does not exist or is not writable"),
    # audit: audit work (keep this marker line; add entries below it)
    "audit.number_format": ("审计编号应为 SJ-年份-三位序号，如 SJ-2025-001", "an audit number looks like SJ-2025-001"),
    "audit.finding_format": ("问题编号应为审计编号加两位序号，如 SJ-2025-001-03", "a finding number looks like SJ-2025-001-03"),
    "audit.kind": ("审计类型应为 {allowed}", "the audit kind must be one of {allowed}"),
    "audit.own_tenure": ("审计人员不能审计本人的任期", "an auditor cannot audit their own tenure"),
    "audit.period_order": ("审计期间的起始不能晚于截止", "the audit period starts after it ends"),
    "audit.before_books": ("审计期间早于建账期间 {start}，账本中没有这段记录", "the audit period starts before the books ({start})"),
    "audit.period_future": ("审计期间尚未开始", "the audit period has not started yet"),
    "audit.unknown": ("没有这次审计", "no such audit"),
    "audit.closed": ("该审计已于 {closed_on} 结束，不能再记录问题或再次结束", "the audit was closed on {closed_on}; it takes no more findings"),
    "audit.too_many_findings": ("一次审计最多记录 {limit} 个问题", "an audit holds at most {limit} findings"),
    "audit.severity": ("问题等级应为 {allowed}", "severity must be one of {allowed}"),
    "audit.too_many_references": ("一个问题最多关联 {limit} 条凭证或记录", "a finding points at most at {limit} records"),
    "audit.finding_unknown": ("该审计没有这个问题编号", "the audit has no such finding"),
    "audit.too_many_rectifications": ("一个问题最多记录 {limit} 次整改", "a finding takes at most {limit} rectification notes"),
    "audit.year_full": ("本年度审计编号已用完（上限 {limit} 个）", "this year's audit numbers are used up ({limit})"),
    "audit.position_unknown": ("日志中没有这个位置（现有 1 至 {head}）", "no such log position (the log holds 1 to {head})"),
    "audit.reference_unknown": ("没有这个凭证号或台账编号（日志位置请写成 @数字 或 #数字）", "no voucher or register record has that number (write a log position as @N or #N)"),
    "audit.flag_unknown": ("当前没有这个预警（预警随账务变化出现和消失，见 sanzi audit flags）", "no such flag is raised now (see `sanzi audit flags`)"),
    "duties.reviewer_only": ("此人登记的角色为 {role}，只查阅、审核或审计，不记录业务，不能{action}", "a {role} only reads, reviews or audits and records no business: may not {action}"),
    # import and export (keep this marker line; add entries below it)
    "import.kind_unknown": ("导入类型应为 {allowed}", "the import kind must be one of {allowed}"),
    "import.file_missing": ("文件不存在", "no such file"),
    "import.file_too_large": ("文件超过 {limit_mb} MB，请分成几个文件导入", "the file is larger than {limit_mb} MB: split it"),
    "import.xls_legacy": ("这是旧的 .xls 格式：请在 Excel/WPS 中另存为 .xlsx 或 CSV 后导入", "this is the old .xls format: save it as .xlsx or CSV first"),
    "import.xlsx_unreadable": ("读不出这个 XLSX 文件（{reason}）：请在 Excel/WPS 中重新保存", "cannot read this XLSX file ({reason}): save it again from Excel or WPS"),
    "import.encoding_unknown": ("不认识这个编码名称：可用 utf-8、utf-8-sig、gb18030", "unknown encoding: use utf-8, utf-8-sig or gb18030"),
    "import.encoding_utf16": ("文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”或 XLSX", "the file is UTF-16 (Excel's Unicode text): save it as CSV UTF-8 or XLSX"),
    "import.encoding_unsure": ("无法确定文件编码（猜测为 {value}，不可靠）：请用 --encoding utf-8 或 --encoding gb18030 指明", "cannot tell the file's encoding (a guess of {value} is not reliable): state it with --encoding utf-8 or --encoding gb18030"),
    "import.encoding_broken": ("第 {row} 行附近的字节不是 {value} 编码：请用 --encoding 指明文件的编码", "the bytes near row {row} are not {value}: state the file's encoding with --encoding"),
    "import.csv_broken": ("CSV 第 {row} 行格式有误（{reason}）", "CSV row {row} is malformed ({reason})"),
    "import.too_many_rows": ("行数超过上限 {limit}，请分成几个文件导入", "more than {limit} rows: split the file"),
    "import.empty_file": ("文件里没有表头，也没有数据", "the file has no header and no data"),
    "import.header_missing": ("第 {row} 行表头缺少这些列；应有：{expected}", "the header (row {row}) lacks these columns; expected: {expected}"),
    "import.header_twice": ("第 {row} 行表头中这一列出现了两次", "this column appears twice in the header (row {row})"),
    "import.cell_required": ("必填，不能为空（合并单元格只有首格有值时，请取消合并并填满）", "required, must not be blank"),
    "import.cell_invalid": ("取值不合规定", "this value is not valid here"),
    "import.date_format": ("日期应写成 2025-03-05、2025/3/5 或 2025年3月5日", "a date is 2025-03-05, 2025/3/5 or year-month-day in Chinese characters"),
    "import.date_serial": ("不是有效的 Excel 日期序号", "not a valid Excel date serial number"),
    "import.count": ("应为 0 到 {limit} 的整数", "must be a whole number from 0 to {limit}"),
    "import.flag": ("应填“是”或“否”", "must be yes or no"),
    "import.choice": ("应为以下之一：{allowed}", "must be one of: {allowed}"),
    "import.dues_format": ("收付款计划每期应写成 日期=金额，多期用；分隔", "each instalment is DATE=AMOUNT, separated by semicolons"),
    "import.formula_uncached": ("公式没有保存计算结果：请在 Excel/WPS 中打开并保存后再导入", "the formula was saved without its value: open and save the file in Excel or WPS first"),
    "import.cell_error": ("单元格是错误值", "the cell holds an error value"),
    "import.both_sides": ("一行只能填借方金额或贷方金额之一", "a line has a debit or a credit amount, not both"),
    "import.no_amount": ("借方金额和贷方金额都为空", "the line has neither a debit nor a credit amount"),
    "import.voucher_date_differs": ("同一凭证各行日期应相同（本凭证第一行为 {first}）", "every line of a voucher has the same date (its first line has {first})"),
    "import.voucher_split": ("凭证号在同月已出现过（第 {first} 行），但不相邻：同一凭证的各行应连在一起", "this voucher number was used earlier in the same month (row {first}) but not adjacent: keep a voucher's lines together"),
    "import.rows_refused": ("{count} 行有错误（共 {errors} 处），未写入任何数据", "{count} rows have errors ({errors} in all); nothing was written"),
    "migration.old_account_unknown": ("不是旧制度（2004）的科目编码", "not an account code of the 2004 chart"),
    "migration.no_mapping": ("对照表中没有这个旧科目", "the mapping has no row for this old account"),
    "migration.target_not_mapped": ("旧科目 {old} 按对照表只能转入 {allowed}", "old account {old} maps only to {allowed}"),
    "migration.profit_loss_balance": ("年终结转后损益类科目应无余额（将转入 {new}）：请先结转", "after the year-end close an income or expense account has no balance (it would go to {new}): close it first"),
    "migration.already_done": ("已导入过期初余额（旧制度余额表），每个集体经济组织只迁移一次", "the opening balances were already migrated: once per collective"),
    "migration.lines": ("余额行数应为 1 到 {limit}", "the balance has 1 to {limit} rows"),
    "migration.unbalanced": ("借贷不平：借方合计 {debit}，贷方合计 {credit}，相差 {difference}", "debits and credits differ: debit {debit}, credit {credit}, difference {difference}"),
    "migration.balance_sides": ("余额应填在借方或贷方之一，且不为负数", "a balance is on one side, debit or credit, and not negative"),
    "migration.subtotal": ("一级科目余额应等于其明细科目合计 {details}", "a first-level balance must equal the sum of its detail rows, {details}"),
    "export.folder_missing": ("输出文件所在的文件夹不存在：{folder}", "the output file's folder does not exist: {folder}"),
    "export.out_is_folder": ("--out 应为文件，不是文件夹", "--out must be a file, not a folder"),
}

FIELD_NAMES_ZH: dict[str, str] = {
    "amount": "金额", "date": "日期", "period": "期间", "summary": "摘要", "code": "代码",
    "name": "名称", "role": "角色", "operator": "操作员", "level": "层级", "chart": "科目体系",
    "township": "乡镇", "county": "县", "number": "编号", "reason": "原因", "resolution": "决议文号",
    "attachments": "附件张数", "debit": "借方", "credit": "贷方", "lines": "分录", "account": "科目",
    "key": "密钥文件", "seal": "外部印章",
    "collective": "集体经济组织", "db": "数据库", "start": "起始日期", "start_period": "建账期间",
    "board": "公开栏", "opinion": "审核意见", "content": "公开内容", "channel": "网上公开地址", "out": "输出位置",
    "target": "核对对象", "other": "其他事项", "corrects": "更正对象", "schema": "schema",
    "kind": "类别", "direction": "方向", "party": "对方", "party_id": "证件号码", "subject": "标的",
    "method": "方式", "end": "终止日期", "due": "计划", "via": "收付方式", "result": "清理结论", "note": "说明",
    "category": "类别", "value": "价值", "acquired": "取得日期", "location": "坐落", "type": "类型",
    "area": "面积", "item": "资产/资源", "lessee": "承租方", "lessee_id": "承租方证件号码", "rent": "租金",
    "per": "计租周期", "due_date": "到期日", "program": "项目", "source": "来源", "purpose": "用途", "payee": "收款人", "origin": "形成原因",
    "audit": "审计编号", "finding": "问题编号", "scope": "审计范围", "person": "人员", "conclusion": "审计结论",
    "flag": "预警", "event": "关联记录", "severity": "等级", "text": "内容", "from": "起始期间", "to": "截止期间",
}


ROLE_NAMES_ZH = {"accountant": "会计", "cashier": "出纳", "supervisor": "监督委员", "auditor": "审计", "head": "负责人"}
ACTION_NAMES_ZH = {
    "audit keygen": "生成签名密钥", "audit seal": "盖印章",
    "voucher post": "记账", "voucher reverse": "冲销凭证", "period close": "结账", "member add": "登记成员",
    "account add": "开设科目", "contract sign": "签订合同", "contract collect": "合同收款", "contract pay": "合同付款",
    "contract amend": "变更合同", "contract terminate": "终止合同", "contract review": "清理合同",
    "asset add": "登记资产", "asset dispose": "处置资产", "resource add": "登记资源", "lease sign": "签订租赁",
    "lease collect": "收租", "lease end": "终止租赁", "debt add": "登记债权债务", "debt settle": "结算债权债务",
    "debt write-off": "核销", "board add": "登记公开栏", "disclose draft": "起草公开", "disclose review": "审核公开",
    "disclose publish": "发布公开", "subsidy receive": "收到补助", "subsidy spend": "补助支出", "subsidy return": "退回补助",
    "audit open": "审计立项", "audit finding": "记录审计发现", "audit rectify": "记录整改", "audit close": "结束审计",
    "collective add": "登记集体经济组织", "import": "批量导入",
}


CADENCE_ZH = {"monthly": "按月", "quarterly": "按季", "adhoc": "随时"}
DIRECTION_ZH = {"income": "收款", "expense": "付款"}


def _zh_params(params: dict) -> dict:
    """Role and action words inside Chinese messages in Chinese (one place)."""
    out = dict(params)
    for key in ("role", "allowed"):
        if isinstance(out.get(key), str) and all(part in ROLE_NAMES_ZH for part in out[key].split("/")):
            out[key] = "或".join(ROLE_NAMES_ZH[part] for part in out[key].split("/"))
    if out.get("expected") in DIRECTION_ZH:
        out["expected"] = DIRECTION_ZH[out["expected"]]
    if out.get("cadence") in CADENCE_ZH:
        out["cadence"] = CADENCE_ZH[out["cadence"]]
    if isinstance(out.get("action"), str):
        out["action"] = ACTION_NAMES_ZH.get(out["action"], out["action"])
    return out


def render_refusal(refusal: Refusal, lang: str = "zh") -> str:
    zh, en = MESSAGES.get(refusal.code, (refusal.code, refusal.code))
    params = {"record": refusal.record, "field": refusal.field, "value": refusal.value, **refusal.params}
    if lang != "en":
        params = _zh_params(params)
    text = (en if lang == "en" else zh).format(**params)
    head = []
    if refusal.record:
        head.append(str(refusal.record))
    if refusal.field:
        field = refusal.field
        if lang != "en":
            base = field.split("[")[0]
            field = FIELD_NAMES_ZH.get(base, base) + field[len(base):]
        value = "" if refusal.value is None else f"={refusal.value!s}"
        if lang != "en" and refusal.field == "direction" and refusal.value in DIRECTION_ZH:
            value = f"={DIRECTION_ZH[refusal.value]}"
        head.append(f"{field}{value}")
    prefix = "，".join(head) if lang != "en" else ", ".join(head)
    sep = "：" if lang != "en" else ": "
    return f"{prefix}{sep}{text}" if prefix else text
