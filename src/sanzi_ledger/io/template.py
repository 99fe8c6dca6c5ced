"""`sanzi import template KIND --out FILE.xlsx`: a sheet an accountant can fill in.

Chinese headers (required ones in bold, red), one filled example row, a
drop-down list on every column that is an enumeration, widths that fit, the
header row frozen, and a second sheet 说明 with each column's rule. The
importer reads the first sheet only, so the notes never get imported.
"""

from __future__ import annotations

import os

from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.columns import KIND_NAMES, KINDS, example_rows

EXAMPLE_NOTE = "示例行：导入前请删除或改成真实数据"


def write_template(kind: str, out: str) -> str:
    if kind not in KINDS:
        raise Refusal("import.kind_unknown", field="kind", value=kind, allowed="|".join(KINDS))
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise Refusal("store.folder_missing", field="out", value=out, folder=folder)
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = KINDS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = KIND_NAMES[kind]
    sheet.append([column.header for column in columns])
    examples = example_rows(kind)
    for row in examples:
        sheet.append(row)
    header_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.in_header else "000000")
        cell.fill = header_fill
        if column.note:
            cell.comment = Comment(column.note, "sanzi")
        sheet.column_dimensions[letter].width = max(column.width, len(column.header) * 2 + 4)
        if column.choices:
            # A list longer than 255 characters must live in cells; ours are short.
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=not column.required,
                                        showErrorMessage=True, errorTitle="取值不对", error="请从下拉列表中选择")
            validation.add(f"{letter}2:{letter}10000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    notes.append(["列", "必填", "说明", "示例"])
    for column in columns:
        notes.append([column.header, "是" if column.required else "", column.note or "", column.example])
    notes.append([])
    notes.append([EXAMPLE_NOTE])
    notes.append(["只导入第一个工作表；空行会跳过；金额可带“元”和千分位逗号；日期可写 2025-03-05、2025/3/5、2025年3月5日。"])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 70
    notes.column_dimensions["D"].width = 30
    book.save(out)
    return out
