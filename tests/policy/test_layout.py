"""The layout advisor by hand-checked examples: small districts laid out on paper, each bound that rules every
layout out with its message, the defaults, the schools file's errors and the `plan layout` command's JSON and
workbook, through Django's command and the console command."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from junheng.core.csvfiles import FilesInvalid
from junheng.policy.analyst import haversine_km
from junheng.policy.layout import LayoutResult, NoLayout, Options, School, propose
from junheng.policy.layout.files import read_schools
from junheng.policy.layout.problem import violations

# Along the parallel 31.2° N, 0.01° of longitude is ≈ 0.951 km; the distances below are in those steps.
SCHOOLS = """school_code,district,stage,tier,students,lon,lat
Q1,310115,primary,quality,1000,121.400,31.2
W1,310115,primary,weaker,500,121.410,31.2
Q3,310115,primary,quality,600,121.425,31.2
Q2,310115,primary,quality,800,121.500,31.2
W2,310115,primary,weaker,400,121.510,31.2
"""


def write(tmp_path: Path, text: str = SCHOOLS) -> Path:
    path = tmp_path / "schools.csv"
    path.write_text(text, encoding="utf-8")
    return path


def schools(text: str = SCHOOLS) -> list[School]:
    rows = [line.split(",") for line in text.strip().splitlines()[1:]]
    return [School(c, d, st, t, int(n), float(lon), float(lat)) for c, d, st, t, n, lon, lat in rows]


def members(result: LayoutResult) -> dict[str, list[str]]:
    return {c.lead: c.members for c in result.clusters}


def km(a: str, b: str, found: list[School]) -> float:
    by = {s.code: s for s in found}
    return haversine_km(by[a].lon, by[a].lat, by[b].lon, by[b].lat)


def test_each_weaker_school_goes_to_the_nearest_lead_and_a_quality_school_without_one_joins() -> None:
    # Leads Q1 and Q2: Q3 (2.5 steps) and W1 (1 step) join Q1, W2 (1 step) joins Q2: 600·2.5 + 500 + 400 = 2,400
    # steps of student-km. Q3 leading W1 instead would cost Q1's 1,000 · 2.5 + 500 · 1.5 = 3,250.
    found = schools()
    result = propose(found, Options())
    assert members(result) == {"Q1": ["Q1", "Q3", "W1"], "Q2": ["Q2", "W2"]}
    layout = {m: c.lead for c in result.clusters for m in c.members}
    assert violations(found, layout, 2, 5, mixed_stages=False) == []
    assert violations(found, {**layout, "Q3": "W1"}, 2, 5, mixed_stages=False) != []
    expected = 600 * km("Q3", "Q1", found) + 500 * km("W1", "Q1", found) + 400 * km("W2", "Q2", found)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(expected, abs=1e-5)
    assert result.bound == pytest.approx(result.objective, abs=1e-5) and result.bound <= result.objective
    first = result.clusters[0]
    assert first.students == 2100 and first.weaker == 1
    assert first.mean_km == pytest.approx((600 * km("Q3", "Q1", found) + 500 * km("W1", "Q1", found)) / 2100)
    assert first.worst_km == pytest.approx(km("Q3", "Q1", found))
    assert (result.districts[0].min_size, result.districts[0].max_size) == (2, None)


def test_the_minimum_size_makes_the_middle_school_the_lead() -> None:
    # One cluster of all five: led by Q1 it costs 600·2.5 + 500 + 800·10 + 400·11 = 14,400 steps, by Q3
    # 1,000·2.5 + 500·1.5 + 800·7.5 + 400·8.5 = 12,650, by Q2 more still.
    result = propose(schools(), Options(min_size=3))
    assert members(result) == {"Q3": ["Q3", "Q1", "Q2", "W1", "W2"]}


def test_stages_stay_apart_unless_mixed() -> None:
    junior = SCHOOLS + "W3,310115,junior,weaker,300,121.401,31.2\n"
    with pytest.raises(
        NoLayout, match="310115初中学段没有优质校，无法确定牵头校，相对薄弱校 W3 无集群可加入"
    ):
        propose(schools(junior), Options())
    mixed = propose(schools(junior), Options(mixed_stages=True))
    # W3, a tenth of a step from Q1, lets Q3 lead W1 (1.5 steps) rather than join Q1 (2.5 steps)
    assert members(mixed) == {"Q1": ["Q1", "W3"], "Q2": ["Q2", "W2"], "Q3": ["Q3", "W1"]}
    assert mixed.clusters[0].stage == "primary"


def test_districts_are_laid_out_on_their_own() -> None:
    text = """school_code,district,stage,tier,students,lon,lat
A1,310101,primary,quality,100,121.40,31.2
AW,310101,primary,weaker,100,121.45,31.2
B1,310104,primary,quality,100,121.451,31.2
BW,310104,primary,weaker,100,121.60,31.2
"""
    result = propose(schools(text), Options())
    assert members(result) == {"A1": ["A1", "AW"], "B1": ["B1", "BW"]}  # AW is nearer B1, of another district
    assert [(d.district, d.schools) for d in result.districts] == [("310101", 2), ("310104", 2)]
    assert [c.district for c in result.clusters] == ["310101", "310104"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            Options(max_size=2),
            "310115小学学段：5 所学校按最大规模 2 至少要分成 3 个集群，但只有 2 所相对薄弱校",
        ),
        (Options(min_size=4, max_size=3), "310115：最小规模 4 大于最大规模 3"),
        (Options(max_size=1), "最大规模 1 小于 2"),
        (Options(min_size=6), "310115小学学段只有 5 所学校，少于最小规模 6"),
        (Options(min_size=3, max_size=4), "5 所学校无法分成每个 3–4 所学校的集群"),
    ],
)
def test_bounds_no_layout_keeps_are_explained(options: Options, message: str) -> None:
    with pytest.raises(NoLayout, match=message):
        propose(schools(), options)


def test_a_district_without_weaker_schools() -> None:
    text = "school_code,district,stage,tier,students,lon,lat\nQ1,310115,junior,quality,10,121.4,31.2\n"
    with pytest.raises(NoLayout, match="310115初中学段没有相对薄弱校"):
        propose(schools(text), Options())


def test_the_current_clusters_set_the_default_bounds(tmp_path: Path) -> None:
    lines = SCHOOLS.strip().splitlines()
    current = ["cluster", "A", "A", "A", "B", "B"]  # clusters of 3 and 2 schools
    text = "".join(f"{line},{cluster}\n" for line, cluster in zip(lines, current, strict=True))
    found = read_schools(write(tmp_path, text))
    assert [s.cluster for s in found] == current[1:]
    result = propose(found, Options())
    assert (result.districts[0].min_size, result.districts[0].max_size) == (2, 3)
    assert propose(found, Options(max_size=5)).districts[0].max_size == 5


# The schools file ------------------------------------------------------------------------------------------------


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(FilesInvalid) as invalid:
        read_schools(write(tmp_path, text))
    return invalid.value.errors


def test_the_file_reads_in_gb18030_too(tmp_path: Path) -> None:
    path = tmp_path / "学校.csv"
    path.write_bytes(SCHOOLS.replace("310115", "浦东新区").encode("gb18030"))
    found = read_schools(path)
    assert len(found) == 5 and found[0].district == "浦东新区" and found[0].students == 1000


def test_bad_values_name_row_and_column(tmp_path: Path) -> None:
    text = (
        SCHOOLS.replace("W1,310115,primary,weaker,500", "W1,310115,senior,weak,五百")
        .replace("Q2,310115,primary,quality,800,121.500", "Q1,,primary,quality,800,190")
        .replace("W2,310115,primary,weaker,400,121.510,31.2", "W2,310115,primary,weaker,-4,121.510,")
    )
    assert errors(tmp_path, text) == [
        "schools.csv 第 3 行“stage”列：“senior”应为 primary、junior、nine_year、complete_secondary、twelve_year、"
        "special 之一",
        "schools.csv 第 3 行“tier”列：“weak”应为 quality（优质校）或 weaker（相对薄弱校）",
        "schools.csv 第 3 行“students”列：“五百”应为 0 或正整数",
        "schools.csv 第 5 行“district”列：不能为空",
        "schools.csv 第 5 行“lon”列：“190”应为 -180 到 180 之间的数",
        "schools.csv 第 5 行“school_code”列：学校代码 Q1 与第 2 行重复",
        "schools.csv 第 6 行“students”列：“-4”应为 0 或正整数",
        "schools.csv 第 6 行“lat”列：“”应为 -90 到 90 之间的数",
    ]


def test_a_missing_column_and_an_empty_file(tmp_path: Path) -> None:
    assert errors(tmp_path, SCHOOLS.replace(",students", ",pupils")) == [
        "schools.csv 第 1 行：缺少列 students（应有 school_code、district、stage、tier、students、lon、lat）"
    ]
    assert errors(tmp_path, "")[0].startswith("schools.csv：文件为空")
    assert errors(tmp_path, SCHOOLS.splitlines()[0] + "\n") == ["schools.csv：没有学校"]


# The command -----------------------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("plan", "layout", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_json_of_the_issue(tmp_path: Path) -> None:
    result = json.loads(run("--schools", str(write(tmp_path)), "--format", "json"))
    assert {"status", "objective", "clusters"} <= set(result)
    assert result["status"] == "optimal" and result["bound"] <= result["objective"]
    assert [set(c) >= {"lead", "members", "students", "mean_km"} for c in result["clusters"]] == [True, True]
    assert [(c["lead"], c["members"], c["students"]) for c in result["clusters"]] == [
        ("Q1", ["Q1", "Q3", "W1"], 2100),
        ("Q2", ["Q2", "W2"], 1200),
    ]
    assert result["objective"] == pytest.approx(sum(c["students"] * c["mean_km"] for c in result["clusters"]))


def test_the_command_options(tmp_path: Path) -> None:
    path = str(write(tmp_path, SCHOOLS + "W3,310115,junior,weaker,300,121.401,31.2\n"))
    assert run("--schools", path, "--mixed-stages", "--min-size", "3", "-o", str(tmp_path / "l.json")) == ""
    saved = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))
    assert all(len(c["members"]) >= 3 for c in saved["clusters"])
    assert sorted(m for c in saved["clusters"] for m in c["members"]) == ["Q1", "Q2", "Q3", "W1", "W2", "W3"]


def test_the_command_writes_a_workbook(tmp_path: Path) -> None:
    run("--schools", str(write(tmp_path)), "--format", "xlsx", "-o", str(tmp_path / "layout.xlsx"))
    book = load_workbook(tmp_path / "layout.xlsx")
    assert book.sheetnames == ["集群", "成员校", "求解"]
    clusters = list(book["集群"].values)
    assert clusters[0][:4] == ("牵头校 lead", "区 district", "学段 stage", "成员校 members")
    assert clusters[1][:7] == ("Q1", "310115", "primary", "Q1、Q3、W1", 3, 1, 2100)
    assert len(list(book["成员校"].values)) == 6
    assert list(book["求解"].values)[1][:2] == ("310115", "optimal")


def test_the_command_refuses_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="请给出 --schools"):
        run("--format", "json")
    with pytest.raises(CommandError, match="-o"):
        run("--schools", str(write(tmp_path)), "--format", "xlsx")
    bad = write(tmp_path, SCHOOLS.replace("Q3,310115,primary,quality,600", "Q3,310115,primary,quality,many"))
    with pytest.raises(CommandError, match=r"schools\.csv 第 4 行“students”列"):
        run("--schools", str(bad))
    with pytest.raises(CommandError, match=r"(?s)没有满足要求的集群布局.*最大规模 2"):
        run("--schools", str(write(tmp_path)), "--max-size", "2")


def test_the_console_lays_out_without_the_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from junheng.cli import main

    monkeypatch.setattr(sys, "argv", ["junheng", "plan", "layout", "--schools", str(write(tmp_path))])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)["clusters"][1]["members"] == ["Q2", "W2"]
    bad = write(tmp_path, SCHOOLS.replace("121.500,31.2", "121.500,north"))
    monkeypatch.setattr(sys, "argv", ["junheng", "plan", "layout", "--schools", str(bad)])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 1
    assert "schools.csv 第 5 行“lat”列" in capsys.readouterr().err
