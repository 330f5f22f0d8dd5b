"""Write the user change form (用户变更表) as the Excel 97-2003 file the regulation requires.

The layout follows the regulation's annex 3: the title, then 填表人 and 填表时间, then the
header 单位, 姓名, 身份证号, 角色, 联系电话, 变更类型, 备注 and one row per change. A
replacement (离职换人) takes two rows, the person who leaves and then the new person,
with one 变更类型 cell merged over both.

NOTE: the annex's example is known only as extracted text, in which 离职换人 sits between
the leaving and the new person. The merged cell and the 离职/新换 remarks are a reading of
that example, not a layout the regulation spells out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlwt

from fpcert_desktop.domain.user_changes import ROLE_FORM_TEXT, ChangePerson, ChangeType, UserChange

TITLE = "深圳市计划生育证明管理系统用户变更表"
SHEET_NAME = "用户变更表"
FILLER_LABEL = "填表人："
FILED_ON_LABEL = "填表时间："
COLUMNS = ("单位", "姓名", "身份证号", "角色", "联系电话", "变更类型", "备注")
LEAVING_REMARK = "离职"
NEW_PERSON_REMARK = "新换{role}"
WINDOW_REMARK = "窗口{workstation}"
# Row numbers (from 0) of the sheet's parts.
TITLE_ROW = 0
FILLER_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3
FILED_ON_COLUMN = 4
_COLUMN_WIDTHS = (24, 10, 22, 10, 16, 12, 24)
_CHARACTER_WIDTH = 256


@dataclass(frozen=True)
class FormLine:
    """One line of the sheet, as the cells read from left to right."""

    unit: str
    name: str
    id_number: str
    role: str
    phone: str
    change_type: str
    remarks: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.unit,
            self.name,
            self.id_number,
            self.role,
            self.phone,
            self.change_type,
            self.remarks,
        )


def file_name(district_name: str, filed_on: date) -> str:
    """Return the regulation's file name: the district name, the title and the filing date."""
    return f"{district_name}{TITLE}（时间 {filed_on:%Y%m%d}）.xls"


def filed_on_text(filed_on: date) -> str:
    return f"{filed_on.year}年{filed_on.month}月{filed_on.day}日"


def form_lines(change: UserChange) -> list[FormLine]:
    """Return the sheet lines of one change: two for a replacement, one otherwise."""
    remarks = change.remarks
    if change.change_type is ChangeType.NEW_WINDOW and change.workstation:
        window = WINDOW_REMARK.format(workstation=change.workstation)
        remarks = f"{window} {remarks}".strip()

    def line(person: ChangePerson, remark: str) -> FormLine:
        return FormLine(
            unit=change.unit_name,
            name=person.name,
            id_number=person.id_number,
            role=ROLE_FORM_TEXT[person.role],
            phone=person.phone,
            change_type=change.change_type.form_text,
            remarks=remark,
        )

    if change.change_type is ChangeType.REPLACEMENT and change.new_person is not None:
        leaving = f"{LEAVING_REMARK} {remarks}".strip()
        new_role = ROLE_FORM_TEXT[change.new_person.role]
        return [
            line(change.person, leaving),
            line(change.new_person, NEW_PERSON_REMARK.format(role=new_role)),
        ]
    return [line(change.person, remarks)]


def write_user_change_form(
    path: Path, changes: Sequence[UserChange], *, filler: str, filed_on: date
) -> int:
    """Write the form to ``path`` and return the number of change lines written."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(SHEET_NAME)
    for column, width in enumerate(_COLUMN_WIDTHS):
        sheet.col(column).width = width * _CHARACTER_WIDTH

    title_style = xlwt.easyxf("font: bold on, height 320; align: horiz center, vert center")
    label_style = xlwt.easyxf("align: vert center")
    header_style = xlwt.easyxf(
        "font: bold on; align: horiz center, vert center, wrap on; "
        "borders: left thin, right thin, top thin, bottom thin"
    )
    cell_style = xlwt.easyxf(
        "align: vert center, wrap on; borders: left thin, right thin, top thin, bottom thin"
    )
    # Text format (@), so Excel keeps ID numbers and phone numbers as typed.
    text_style = xlwt.easyxf(
        "align: vert center; borders: left thin, right thin, top thin, bottom thin",
        num_format_str="@",
    )
    merged_style = xlwt.easyxf(
        "align: horiz center, vert center, wrap on; "
        "borders: left thin, right thin, top thin, bottom thin"
    )

    last_column = len(COLUMNS) - 1
    sheet.write_merge(TITLE_ROW, TITLE_ROW, 0, last_column, TITLE, title_style)
    sheet.row(TITLE_ROW).height_mismatch = True
    sheet.row(TITLE_ROW).height = 600
    sheet.write_merge(
        FILLER_ROW, FILLER_ROW, 0, FILED_ON_COLUMN - 1, f"{FILLER_LABEL}{filler}", label_style
    )
    sheet.write_merge(
        FILLER_ROW,
        FILLER_ROW,
        FILED_ON_COLUMN,
        last_column,
        f"{FILED_ON_LABEL}{filed_on_text(filed_on)}",
        label_style,
    )
    for column, header in enumerate(COLUMNS):
        sheet.write(HEADER_ROW, column, header, header_style)

    type_column = COLUMNS.index("变更类型")
    text_columns = {COLUMNS.index("身份证号"), COLUMNS.index("联系电话")}
    row_number = FIRST_DATA_ROW
    written = 0
    for change in changes:
        lines = form_lines(change)
        for offset, line in enumerate(lines):
            for column, value in enumerate(line.cells()):
                if column == type_column and len(lines) > 1:
                    continue
                style = text_style if column in text_columns else cell_style
                sheet.write(row_number + offset, column, value, style)
        if len(lines) > 1:
            sheet.write_merge(
                row_number,
                row_number + len(lines) - 1,
                type_column,
                type_column,
                lines[0].change_type,
                merged_style,
            )
        row_number += len(lines)
        written += len(lines)
    book.save(str(path))
    return written
