"""Writes roster-2021.xlsx: the attachment of the 2021 notice as a district would send it, one sheet per part,
a title row above the header, line breaks kept inside cells, and merged cells wherever the original table
leaves a district or unit blank under the one above. Run: DJANGO_SETTINGS_MODULE=junheng.settings python tests/data/make_roster_workbook.py"""

from importlib.resources import files
from pathlib import Path

import django
from openpyxl import Workbook
from openpyxl.styles import Alignment

MERGEABLE_HEADERS = {"受援区", "支援区", "支援单位", "区域", "合作单位"}
TITLES = {
    "一": ("精准委托管理", "一、第二轮精准委托管理"),
    "二": ("互助成长项目", "二、第二轮城乡学校互助成长项目"),
}


def main() -> None:
    django.setup()
    from junheng.programmes.roster import read_notice

    notice = (files("junheng.programmes") / "data" / "roster-2021-notice.txt").read_text(encoding="utf-8")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in read_notice(notice, "notice"):
        sheet_name, title = TITLES[table.sheet[0]]
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.header))
        sheet.append([h.strip() for h in table.header])
        for _number, cells in table.rows:
            sheet.append([int(c) if c.strip().isdigit() else c.strip(" ") for c in cells])
        for column, header in enumerate(table.header, start=1):
            if header.strip() not in MERGEABLE_HEADERS:
                continue
            row = 3
            while row <= sheet.max_row:
                end = row
                while end + 1 <= sheet.max_row and sheet.cell(end + 1, column).value in (None, ""):
                    end += 1
                if end > row:
                    sheet.merge_cells(start_row=row, start_column=column, end_row=end, end_column=column)
                    sheet.cell(row, column).alignment = Alignment(vertical="center", wrap_text=True)
                row = end + 1
    workbook.save(Path(__file__).with_name("roster-2021.xlsx"))


if __name__ == "__main__":
    main()
