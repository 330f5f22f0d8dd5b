"""The user change form as an .xls file, read back with xlrd (not the library that wrote it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlrd

from fpcert_desktop.domain.user_changes import ChangePerson, ChangeType, UserChange
from fpcert_desktop.domain.users import Role
from fpcert_desktop.printing.user_change_xls import file_name, write_user_change_form

FILED_ON = date(2026, 12, 4)
ZHANG = ChangePerson("张三", "440304198805120027", Role.CLERK, "82002345")
LI = ChangePerson("李四", "440305199203031132", Role.CLERK, "13812345678")
WANG = ChangePerson("王五", "11010519491231002X", Role.CLERK, "0755-23172634")
ZHAO = ChangePerson("赵六", "440303198507072243", Role.ADMINISTRATOR, "82001237")
STREET_UNIT = "福田区福田街道"
COMMUNITY_UNIT = "福田区福田街道福山社区工作站"

CHANGES = [
    UserChange(ChangeType.REPLACE_KEY, "440304004", STREET_UNIT, ZHANG, remarks="钥匙损坏"),
    UserChange(ChangeType.REPLACEMENT, "440304004001", COMMUNITY_UNIT, ZHAO, new_person=LI),
    UserChange(ChangeType.NEW_KEY, "440304004001", COMMUNITY_UNIT, WANG),
    UserChange(ChangeType.NEW_WINDOW, "440304004", STREET_UNIT, WANG, workstation="03"),
]


def test_file_name_follows_the_regulation() -> None:
    assert (
        file_name("南山区", FILED_ON)
        == "南山区深圳市计划生育证明管理系统用户变更表（时间 20261204）.xls"
    )
    assert file_name("福田区", date(2012, 4, 18)).endswith("（时间 20120418）.xls")


def test_form_reads_back(tmp_path: Path) -> None:
    path = tmp_path / file_name("福田区", FILED_ON)

    lines = write_user_change_form(path, CHANGES, filler="赵强", filed_on=FILED_ON)

    assert lines == 5
    assert path.name == "福田区深圳市计划生育证明管理系统用户变更表（时间 20261204）.xls"
    book = xlrd.open_workbook(str(path), formatting_info=True)
    assert book.sheet_names() == ["用户变更表"]
    sheet = book.sheet_by_index(0)
    assert sheet.cell_value(0, 0) == "深圳市计划生育证明管理系统用户变更表"
    assert sheet.cell_value(1, 0) == "填表人：赵强"
    assert sheet.cell_value(1, 4) == "填表时间：2026年12月4日"
    assert sheet.row_values(2) == [
        "单位",
        "姓名",
        "身份证号",
        "角色",
        "联系电话",
        "变更类型",
        "备注",
    ]
    rows = [sheet.row_values(number) for number in range(3, sheet.nrows)]
    assert rows == [
        [STREET_UNIT, "张三", "440304198805120027", "打证员", "82002345", "更换密钥", "钥匙损坏"],
        [COMMUNITY_UNIT, "赵六", "440303198507072243", "管理员", "82001237", "离职换人", "离职"],
        [COMMUNITY_UNIT, "李四", "440305199203031132", "打证员", "13812345678", "", "新换打证员"],
        [COMMUNITY_UNIT, "王五", "11010519491231002X", "打证员", "0755-23172634", "新增密钥", ""],
        [
            STREET_UNIT,
            "王五",
            "11010519491231002X",
            "打证员",
            "0755-23172634",
            "新增窗口",
            "窗口03",
        ],
    ]
    # The ID numbers and phones are text cells, so Excel shows every digit as typed.
    for number in range(3, sheet.nrows):
        assert sheet.cell_type(number, 2) == xlrd.XL_CELL_TEXT
        assert sheet.cell_type(number, 4) == xlrd.XL_CELL_TEXT
    # The replacement's change type spans both of its rows; title and filler rows are merged.
    assert (4, 6, 5, 6) in sheet.merged_cells
    assert (0, 1, 0, 7) in sheet.merged_cells
    assert (1, 2, 0, 4) in sheet.merged_cells
    assert (1, 2, 4, 7) in sheet.merged_cells


def test_remarks_of_a_replacement_keep_the_typed_text(tmp_path: Path) -> None:
    change = UserChange(
        ChangeType.REPLACEMENT, "440304004", STREET_UNIT, ZHANG, new_person=LI, remarks="调往南山"
    )
    path = tmp_path / "form.xls"

    write_user_change_form(path, [change], filler="赵强", filed_on=FILED_ON)

    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    assert sheet.cell_value(3, 6) == "离职 调往南山"
    assert sheet.cell_value(4, 6) == "新换打证员"
    assert sheet.nrows == 5
