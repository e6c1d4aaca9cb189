"""Files laid out the way town offices really keep and send them, built with openpyxl and csv.

Each builder writes one file into a directory and returns its path. The
contents are invented; the layouts are those of published 随机抽查事项清单,
权责清单 and 签到表: a title row, a 序号 column, headers broken over lines or
with units in brackets, cells merged down, blank rows, Excel floats for
credential numbers, names padded for print, every encoding Chinese Excel and
WPS save CSV in.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from tests.disclosure.helpers import AGENCY

GB18030_BOM = b"\x84\x31\x95\x33"


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def inspection_list_xlsx(folder: Path) -> Path:
    """随机抽查事项清单: title row, agency above the header, 序号, a header over two lines, 检查项目 merged down."""
    wb = Workbook()
    ws = wb.active
    ws.append(["西红门镇2026年随机抽查事项清单"])
    ws.merge_cells("A1:H1")
    ws.append([f"执法主体统一社会信用代码：{AGENCY['credit_code']}"])
    ws.append(["序号", "抽查事项编码", "检查\n项目", "检查子项", "检查依据", "检查方式", "检查内容", "备注"])
    ws.append([1, "XHM-SJ-001", "燃气安全检查", "餐饮场所燃气泄漏报警装置", "《北京市燃气管理条例》第五十九条",
               "现场检查", "是否安装燃气泄漏报警装置", ""])
    ws.append([2, "XHM-SJ-002", None, "燃气用具连接软管", "《北京市燃气管理条例》第五十九条", "现场检查",
               "软管是否超期使用", ""])
    ws.append([3, "XHM-SJ-003", None, "燃气使用记录", "《北京市燃气管理条例》第五十九条", "书面检查", "", "抽查比例5%"])
    ws.merge_cells("C4:C6")
    ws.append([])
    ws.append([4, "XHM-SJ-004", "市容环境卫生检查", "门前三包", "《北京市市容环境卫生条例》", "现场检查", "", ""])
    path = folder / "随机抽查事项清单.xlsx"
    wb.save(path)
    return path


def power_list_xlsx(folder: Path) -> Path:
    """权责清单: title row, 序号, header variants (职权\\n名称, 实施依据), blank rows between sections."""
    wb = Workbook()
    ws = wb.active
    ws.append(["北京市大兴区西红门镇人民政府权责清单"])
    ws.append(["序号", "职权编码", "职权\n名称", "职权类别", "执法主体统一社会信用代码", "实施依据", "来源"])
    ws.append([1, "P-RQ-59", "对未安装燃气泄漏报警装置的行政处罚", "行政处罚", AGENCY["credit_code"],
               "《北京市燃气管理条例》(2020-09-25)第五十九条", "下放 2020-07-01"])
    ws.append([None, None, None, None, None, None, None])
    ws.append(["二、行政检查"])
    ws.append([2, "P-RQ-JC", "对燃气使用的行政检查", "行政检查", AGENCY["credit_code"],
               "《北京市燃气管理条例》第五十九条", ""])
    path = folder / "权责清单.xlsx"
    wb.save(path)
    return path


def officers_gb18030_bom_csv(folder: Path) -> Path:
    """执法人员 CSV saved as GB18030 that starts with its own byte-order mark; 序号 column, names padded."""
    text = _csv_text([
        ["序号", "姓名", "执法主体统一社会信用代码", "执法证号", "发证日期", "有效期至", "证件状态"],
        ["1", "田　霞", AGENCY["credit_code"], "110115020338.0", "2021/3/1", "2027年3月1日", "有效"],
        ["2", "买买提·艾力", AGENCY["credit_code"], "１１０１１５０２０１９０", "2021-03-01", "2027-03-01", "有效"],
    ])
    path = folder / "执法人员.csv"
    path.write_bytes(GB18030_BOM + text.encode("gb18030"))
    return path


def officers_csv(folder: Path, encoding: str, name: str = "officers.csv") -> Path:
    """The same list in another encoding (utf-8, utf-8-sig, gbk, gb18030)."""
    text = _csv_text([
        ["姓名", "执法主体统一社会信用代码", "执法证号", "发证日期", "有效期至"],
        ["赵敏", AGENCY["credit_code"], "11011500009", "2021-03-01", "2027-03-01"],
    ])
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def sign_in_sheet_xlsx(folder: Path) -> Path:
    """签到表 as sent: title, course/date/hours above the header, 序号/姓名/执法证号/单位/签到时间/签名."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年行政执法人员行政处罚法专题培训签到表"])
    ws.append(["课程编号：T-01", None, "学时：4学时"])
    ws.append(["序号", "姓名", "执法证号", "单位", "签到时间", "签名"])
    ws.append([1, "王　强", 11011500001.0, "西红门镇综合行政执法队", datetime(2026, 3, 12, 8, 52), None])
    ws.append([2, "李  娜", "11011500002", "西红门镇综合行政执法队", datetime(2026, 3, 12, 8, 57), None])
    ws.append([3, None, None, None, None, None])
    path = folder / "签到表.xlsx"
    wb.save(path)
    return path


def sign_in_sheet_csv(folder: Path) -> Path:
    """The same sheet as a GBK CSV, the credential number as Excel's float text, hours written 4学时."""
    text = _csv_text([
        ["序号", "姓名", "执法证号", "单位", "课程编号", "签到时间", "学时", "签名"],
        ["1", "王　强", "11011500001.0", "西红门镇综合行政执法队", "T-01", "2026-03-12 08:52", "4学时", ""],
    ])
    path = folder / "签到表.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def targets_xlsx(folder: Path) -> Path:
    """检查对象名录库: title row, 序号, 统一社会信用代码 / 单位名称 / 行业类别 / 地址 headers."""
    wb = Workbook()
    ws = wb.active
    ws.append(["西红门镇检查对象名录库（2026年）"])
    ws.append(["序号", "统一社会信用代码", "单位名称", "行业类别", "地址"])
    ws.append([1, "91110115MA01ABCD3Q", "北京京南餐饮有限公司", "餐饮", "西红门镇宏福路8号"])
    ws.append([2, "92110115MA02EFGH42", "西红门川味小吃店", "餐饮", "西红门镇金星路3号"])
    path = folder / "检查对象.xlsx"
    wb.save(path)
    return path


DECISION_HEADER = ["序号", "决定\n文号", "决定类型", "执法主体统一社会信用代码", "当事人类型", "当事人名称或姓名",
                   "当事人统一社会信用代码", "处罚种类", "罚款金额(元)", "决定日期", "公示日期", "执法人员执法证号", "行使的职权编码"]


def decision_row(seq: int, number: str, fine: str = "2000") -> list:
    return [str(seq), number, "行政处罚", AGENCY["credit_code"], "法人或其他组织", "北京京南餐饮有限公司",
            "91110115MA01ABCD3Q", "罚款", fine,
            "2025-09-30", "2025-10-12", "11011500001；11011500002", "P-RQ-59"]


def decisions_csv(folder: Path, rows: list[list], name: str = "decisions.csv", header=None) -> Path:
    path = folder / name
    path.write_bytes(_csv_text([header or DECISION_HEADER, *rows]).encode("utf-8-sig"))
    return path


def malformed_jsonl(folder: Path) -> Path:
    """One line each of what breaks naive parsers; every line must be named, nothing written."""
    good = {**AGENCY}
    lines = [
        json.dumps({**good, "reconsideration_days": 1}, ensure_ascii=False),
        '{"name": "甲", "credit_code": "11110115MB1C435893", "legal_status": "法定", "reconsideration_days": '
        + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        json.dumps({**good, "reconsideration_days": 2**70}, ensure_ascii=False),
        '{"name": "\\ud800", "credit_code": "11110115MB1C435893", "legal_status": "法定"}',
        json.dumps({**good, "name": {"text": "甲"}}, ensure_ascii=False),
        json.dumps({**good, "address": ["宏福路", "1号"]}, ensure_ascii=False),
        '{"name": "乙", "credit_code": "11110115MB1C435893", "legal_status": "法定", "phone": NaN}',
    ]
    path = folder / "agencies-malformed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
