"""The rotation planner by hand-checked examples: the quota ⌈20% · E⌉, the haversine distance, the MIP's plan on
small clusters worked out on paper, the reasons for a shortfall, the greedy baseline, the CSV files' errors and
the `plan rotations` command's JSON and workbook."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from junheng.core.csvfiles import FilesInvalid
from junheng.core.editions import EDITIONS
from junheng.policy.analyst import haversine_km
from junheng.policy.planner import Need, Options, School, Teacher, plan
from junheng.policy.planner.command import edition_thresholds, options_from
from junheng.policy.planner.files import read_files
from junheng.policy.planner.problem import (
    clusters_of,
    share_of,
    value_of,
    violations,
)

OPTIONS = Options(quota_share=Decimal("0.20"), backbone_share=Decimal("0.30"), team_minimum=3)
Q = School("Q", "C", "quality", frozenset({"primary", "junior"}), 121.4737, 31.2304)
NEAR = School("W1", "C", "weaker", frozenset({"junior"}), 121.4837, 31.2304)
FAR = School("W2", "C", "weaker", frozenset({"primary", "junior"}), 121.5737, 31.2304)


def teachers(
    n: int, backbone: int = 0, subject: str = "数学", stage: str = "junior", school: str = "Q"
) -> list[Teacher]:
    return [Teacher(f"{school}{i:02d}", school, subject, stage, i < backbone) for i in range(n)]


def test_the_quota_is_the_exact_ceiling() -> None:
    share = Decimal("0.20")
    assert [share_of(share, n) for n in (0, 1, 5, 9, 10, 14, 15, 16)] == [0, 1, 1, 2, 2, 3, 3, 4]
    assert 0.2 * 15 != 3 or share_of(share, 15) == 3  # whatever floating point says, 15 eligible → 3
    assert share_of(Decimal("0.30"), 10) == 3


def test_haversine_between_two_known_points() -> None:
    # People's Square to Pudong International Airport. By hand, on the flat: 0.0861° of latitude is 9.574 km,
    # 0.3346° of longitude at 31.19° is 0.3346 · cos 31.19° · 111.195 = 31.83 km, so √(9.574² + 31.83²) = 33.24 km
    km = haversine_km(121.4737, 31.2304, 121.8083, 31.1443)
    assert km == pytest.approx(33.24, abs=0.01)
    # one degree of latitude is 6371 · π / 180 km
    assert haversine_km(121.0, 31.0, 121.0, 32.0) == pytest.approx(111.195, abs=1e-3)
    assert haversine_km(121.0, 31.0, 121.0, 31.0) == 0


def test_the_edition_numbers_come_from_the_shipped_edition_without_a_database() -> None:
    thresholds = edition_thresholds(database=False)
    shipped = {t[0]: t[1] for t in EDITIONS["S2"]["thresholds"]}
    options = options_from({}, thresholds)
    assert options.quota_share == shipped["R-C2.rotation_share"]
    assert options.backbone_share == shipped["R-C2.backbone_share"]
    assert options.team_minimum == shipped["R-C4.team_inflow"]


@pytest.mark.django_db
def test_the_edition_numbers_come_from_the_database_when_there_is_one() -> None:
    from junheng.policy.models import Threshold

    Threshold.objects.filter(edition__code="S2", key="R-C4.team_inflow").update(value=Decimal(4))
    assert options_from({}, edition_thresholds()).team_minimum == 4


def test_exam_scored_junior_teachers_are_worth_two() -> None:
    assert value_of(Teacher("a", "Q", "数学", "junior", False), NEAR) == 2
    assert value_of(Teacher("a", "Q", "英语", "junior", False), NEAR) == 2  # 英语 is the exam's 外语
    assert value_of(Teacher("a", "Q", "美术", "junior", False), NEAR) == 1
    assert value_of(Teacher("a", "Q", "数学", "primary", False), FAR) == 1


def test_fifteen_eligible_send_three_to_the_nearer_school_with_a_backbone_teacher() -> None:
    staff = teachers(15, backbone=1)
    needs = [Need("W1", "数学", "junior", 5), Need("W2", "数学", "junior", 5)]
    result = plan(staff, [Q, NEAR, FAR], needs, OPTIONS)
    (cluster,) = result.clusters
    assert cluster.status == "optimal"
    (school,) = cluster.schools
    assert (school.eligible, school.required, school.sent, school.backbone_sent, school.shortfall) == (
        15,
        3,
        3,
        1,
        0,
    )
    assert {a.to for a in cluster.assignments} == {"W1"}
    km = haversine_km(Q.lon, Q.lat, NEAR.lon, NEAR.lat)
    assert cluster.objective == pytest.approx(3 * 2 - 0.001 * 3 * km, abs=1e-6)
    assert cluster.bound == pytest.approx(cluster.objective, abs=1e-6)
    assert "Q00" in {a.staff_number for a in cluster.assignments}  # the only backbone teacher has to go


def test_too_few_backbone_teachers_is_the_reason() -> None:
    result = plan(teachers(15, backbone=0), [Q, NEAR], [Need("W1", "数学", "junior", 5)], OPTIONS)
    (school,) = result.clusters[0].schools
    assert (school.sent, school.shortfall) == (0, 3)
    assert school.reason.startswith("骨干教师不足")
    assert result.objective == -3000


def test_not_enough_need_is_the_reason() -> None:
    result = plan(
        teachers(15, backbone=5), [Q, NEAR], [Need("W1", "数学", "junior", 2)], replace_teams(False)
    )
    (school,) = result.clusters[0].schools
    assert (school.sent, school.shortfall) == (2, 1)
    assert school.reason.startswith("相对薄弱校在本校教师的学科、学段上需求不足")
    assert "最多可派 2 人" in school.reason


def test_the_team_minimum_is_the_reason() -> None:
    # 5 eligible: 1 to send, but a weaker school takes none or at least 3
    result = plan(teachers(5, backbone=5), [Q, NEAR], [Need("W1", "数学", "junior", 5)], OPTIONS)
    (school,) = result.clusters[0].schools
    assert (school.required, school.sent, school.shortfall) == (1, 0, 1)
    assert school.reason.startswith("组团流入的要求")
    # without teams, or allowed to send three, it sends
    assert (
        plan(
            teachers(5, backbone=5), [Q, NEAR], [Need("W1", "数学", "junior", 5)], replace_teams(False)
        ).objective
        > 0
    )
    allowed = Options(OPTIONS.quota_share, OPTIONS.backbone_share, 3, max_share=Decimal("0.6"))
    result = plan(teachers(5, backbone=5), [Q, NEAR], [Need("W1", "数学", "junior", 5)], allowed)
    assert result.clusters[0].schools[0].sent == 3


def test_two_quality_schools_make_a_team_together() -> None:
    other = School("Q2", "C", "quality", frozenset({"junior"}), 121.46, 31.22)
    staff = teachers(5, backbone=5) + teachers(10, backbone=10, school="Q2")
    result = plan(staff, [Q, other, NEAR], [Need("W1", "数学", "junior", 5)], OPTIONS)
    assert [(s.school_code, s.sent, s.shortfall) for s in result.clusters[0].schools] == [
        ("Q", 1, 0),
        ("Q2", 2, 0),
    ]


def test_competition_for_the_same_need_is_the_reason() -> None:
    other = School("Q2", "C", "quality", frozenset({"junior"}), 121.46, 31.22)
    staff = teachers(15, backbone=15) + teachers(15, backbone=15, school="Q2")
    result = plan(staff, [Q, other, NEAR], [Need("W1", "数学", "junior", 4)], replace_teams(False))
    schools = result.clusters[0].schools
    assert sum(s.sent for s in schools) == 4 and sum(s.shortfall for s in schools) == 2
    assert {s.reason for s in schools if s.shortfall} == {
        "相对薄弱校在本校教师的学科、学段上的需求已由集群内其他优质校派出的教师占满"
    }


def test_the_max_share_below_the_quota_is_the_reason() -> None:
    capped = Options(OPTIONS.quota_share, OPTIONS.backbone_share, 3, max_share=Decimal("0.1"), teams=False)
    result = plan(teachers(15, backbone=15), [Q, NEAR], [Need("W1", "数学", "junior", 5)], capped)
    (school,) = result.clusters[0].schools
    assert (school.sent, school.shortfall) == (2, 1)
    assert "--max-share" in school.reason


def test_a_cluster_without_weaker_schools_or_need() -> None:
    result = plan(teachers(10), [Q], [], OPTIONS)
    assert result.clusters[0].status == "optimal"
    assert result.clusters[0].objective == result.clusters[0].bound == -2000
    assert plan([], [NEAR], [], OPTIONS).clusters[0].schools == []


def test_ineligible_and_weaker_schools_teachers_are_not_candidates() -> None:
    staff = [*teachers(5, backbone=5), Teacher("X", "Q", "数学", "junior", True, eligible=False)]
    staff.append(Teacher("Y", "W1", "数学", "junior", True))
    (cluster,) = clusters_of(staff, [Q, NEAR], [Need("W1", "数学", "junior", 5)])
    assert cluster.eligible("Q") == 5
    assert {c.teacher.staff_number for c in cluster.candidates} == {f"Q{i:02d}" for i in range(5)}


def test_greedy_sends_backbone_first_to_the_nearest_school() -> None:
    staff = teachers(15, backbone=1)
    needs = [Need("W1", "数学", "junior", 5), Need("W2", "数学", "junior", 5)]
    greedy = Options(OPTIONS.quota_share, OPTIONS.backbone_share, 3, method="greedy")
    result = plan(staff, [Q, NEAR, FAR], needs, greedy)
    (cluster,) = result.clusters
    assert cluster.status == "greedy" and cluster.bound is None
    assert [(a.staff_number, a.to) for a in cluster.assignments] == [
        ("Q00", "W1"),
        ("Q01", "W1"),
        ("Q02", "W1"),
    ]
    (data,) = clusters_of(staff, [Q, NEAR, FAR], needs)
    chosen = [
        c
        for c in data.candidates
        if c.school.code == "W1" and c.teacher.staff_number in {"Q00", "Q01", "Q02"}
    ]
    assert violations(data, chosen, greedy) == []


def test_greedy_withdraws_a_team_too_small() -> None:
    # nearest first: W1 has need for one only, so one teacher goes to W1 and two to W2; both are too small
    needs = [Need("W1", "数学", "junior", 1), Need("W2", "数学", "junior", 5)]
    greedy = Options(OPTIONS.quota_share, OPTIONS.backbone_share, 3, method="greedy")
    result = plan(teachers(15, backbone=15), [Q, NEAR, FAR], needs, greedy)
    assert result.clusters[0].assignments == []
    assert result.clusters[0].schools[0].reason.startswith("按就近派出的贪心法未能补足")
    alone = plan(teachers(15, backbone=15), [Q, NEAR, FAR], needs, replace(greedy, teams=False))
    assert [a.to for a in alone.clusters[0].assignments] == ["W1", "W2", "W2"]
    optimal = plan(teachers(15, backbone=15), [Q, NEAR, FAR], needs, OPTIONS)
    assert [a.to for a in optimal.clusters[0].assignments] == ["W2", "W2", "W2"]
    assert optimal.objective > result.objective


def replace_teams(teams: bool) -> Options:
    return Options(OPTIONS.quota_share, OPTIONS.backbone_share, OPTIONS.team_minimum, teams=teams)


# The files -------------------------------------------------------------------------------------------------------

SCHOOLS = """school_code,cluster,tier,stages,lon,lat
Q1,C1,quality,primary+junior,121.47,31.23
W1,C1,weaker,junior,121.50,31.25
W2,C1,weaker,primary+junior,121.40,31.20
"""
TEACHERS = "staff_number,school_code,subject,stage,backbone,eligible\n" + "".join(
    f"T{i:02d},Q1,{['语文', '数学'][i % 2]},junior,{int(i < 5)},1\n" for i in range(15)
)
NEEDS = """school_code,subject,stage,need
W1,语文,junior,2
W1,数学,junior,2
W2,数学,primary,2
"""


def write(tmp_path: Path, teachers: str = TEACHERS, schools: str = SCHOOLS, needs: str = NEEDS) -> list[Path]:
    paths = []
    for name, text in (("teachers.csv", teachers), ("schools.csv", schools), ("needs.csv", needs)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def errors(tmp_path: Path, **files: str) -> list[str]:
    with pytest.raises(FilesInvalid) as invalid:
        read_files(*write(tmp_path, **files))
    return invalid.value.errors


def test_the_files_read(tmp_path: Path) -> None:
    staff, schools, needs = read_files(*write(tmp_path))
    assert len(staff) == 15 and len(schools) == 3 and len(needs) == 3
    assert schools[2].stages == frozenset({"primary", "junior"})


def test_gb18030_and_excel_utf8(tmp_path: Path) -> None:
    paths = write(tmp_path)
    paths[0].write_bytes(TEACHERS.encode("gb18030"))
    paths[2].write_bytes(NEEDS.encode("utf-8-sig"))
    assert len(read_files(*paths)[0]) == 15


def test_a_missing_column(tmp_path: Path) -> None:
    found = errors(tmp_path, schools=SCHOOLS.replace(",lat", ",latitude"))
    assert found == ["schools.csv 第 1 行：缺少列 lat（应有 school_code、cluster、tier、stages、lon、lat）"]


def test_bad_values_name_file_row_and_column(tmp_path: Path) -> None:
    teachers = TEACHERS.replace("T03,Q1,数学,junior,1,1", "T03,Q9,数学,senior,2,1").replace("T04,", "T01,")
    schools = SCHOOLS.replace("weaker,junior,121.50", "weak,junior,181")
    needs = NEEDS.replace("W2,数学,primary,2", "W2,数学,primary,两") + "Q1,数学,junior,1\nW1,语文,junior,1\n"
    found = errors(tmp_path, teachers=teachers, schools=schools, needs=needs)
    assert found == [
        "schools.csv 第 3 行“tier”列：“weak”应为 quality（优质校）或 weaker（相对薄弱校）",
        "schools.csv 第 3 行“lon”列：“181”应为 -180 到 180 之间的数",
        "teachers.csv 第 5 行“school_code”列：学校代码 Q9 不在 schools.csv 中",
        "teachers.csv 第 5 行“stage”列：“senior”应为 primary（小学）或 junior（初中）",
        "teachers.csv 第 5 行“backbone”列：“2”应为 0 或 1",
        "teachers.csv 第 6 行“staff_number”列：教职工号 T01 与第 3 行重复",
        "needs.csv 第 2 行“school_code”列：学校代码 W1 不在 schools.csv 中",
        "needs.csv 第 3 行“school_code”列：学校代码 W1 不在 schools.csv 中",
        "needs.csv 第 4 行“need”列：“两”应为 0 或正整数",
        "needs.csv 第 5 行“school_code”列：学校 Q1 不是相对薄弱校（weaker），不能提出需求",
        "needs.csv 第 6 行“school_code”列：学校代码 W1 不在 schools.csv 中",
    ]


def test_a_need_of_a_stage_the_school_does_not_teach_or_twice(tmp_path: Path) -> None:
    needs = NEEDS + "W1,数学,primary,1\nW1,语文,junior,3\n"
    assert errors(tmp_path, needs=needs) == [
        "needs.csv 第 5 行“stage”列：学校 W1 没有小学学段（schools.csv）",
        "needs.csv 第 6 行“subject”列：学校 W1 的 语文（junior）需求与第 2 行重复",
    ]


def test_empty_cells_and_an_empty_file(tmp_path: Path) -> None:
    assert errors(tmp_path, teachers=TEACHERS.replace("T00,Q1,语文", ",Q1,")) == [
        "teachers.csv 第 2 行“staff_number”列：不能为空",
        "teachers.csv 第 2 行“subject”列：不能为空",
    ]
    assert errors(tmp_path, needs="")[0].startswith("needs.csv：文件为空")


# The command -----------------------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("plan", "rotations", *args, stdout=out)
    return out.getvalue()


def files_args(tmp_path: Path) -> list[str]:
    t, s, n = write(tmp_path)
    return ["--teachers", str(t), "--schools", str(s), "--needs", str(n)]


@pytest.mark.django_db
def test_the_command_writes_the_json_of_the_issue(tmp_path: Path) -> None:
    result = json.loads(run(*files_args(tmp_path)))
    assert set(result) == {"clusters", "objective", "seconds"}
    (cluster,) = result["clusters"]
    assert set(cluster) == {"cluster", "status", "objective", "bound", "schools", "assignments"}
    assert set(cluster["schools"][0]) == {
        "school_code",
        "eligible",
        "required",
        "sent",
        "backbone_sent",
        "shortfall",
        "reason",
    }
    assert set(cluster["assignments"][0]) == {"staff_number", "from", "to", "subject", "stage", "km"}
    assert cluster["status"] == "optimal" and cluster["schools"][0]["sent"] == 3
    assert {a["to"] for a in cluster["assignments"]} == {"W1"}


@pytest.mark.django_db
def test_the_command_options(tmp_path: Path) -> None:
    args = files_args(tmp_path)
    more = json.loads(run(*args, "--max-share", "0.3", "--no-teams"))
    assert more["clusters"][0]["schools"][0]["sent"] == 4
    greedy = json.loads(run(*args, "--method", "greedy", "-o", str(tmp_path / "g.json")) or "null")
    assert greedy is None
    saved = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert saved["clusters"][0]["status"] == "greedy"


@pytest.mark.django_db
def test_the_command_writes_a_workbook(tmp_path: Path) -> None:
    run(*files_args(tmp_path), "--format", "xlsx", "-o", str(tmp_path / "plan.xlsx"))
    book = load_workbook(tmp_path / "plan.xlsx")
    assert book.sheetnames == ["学校", "轮岗安排", "集群"]
    rows = list(book["学校"].values)
    assert rows[0][1] == "学校代码 school_code" and rows[1][1:5] == ("Q1", 15, 3, 3)
    assert len(list(book["轮岗安排"].values)) == 4


@pytest.mark.django_db
def test_the_command_refuses_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="请给出 --needs"):
        run("--teachers", "t.csv", "--schools", "s.csv")
    with pytest.raises(CommandError, match="-o"):
        run(*files_args(tmp_path), "--format", "xlsx")
    t, s, n = write(tmp_path, needs="school_code,subject,stage,need\nW1,语文,junior,-1\n")
    with pytest.raises(CommandError, match=r"needs\.csv 第 2 行“need”列"):
        run("--teachers", str(t), "--schools", str(s), "--needs", str(n))


def test_the_console_runs_the_files_without_the_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from junheng.policy.planner.command import main

    assert main([*files_args(tmp_path), "--no-teams"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["clusters"][0]["schools"][0]["sent"] == 3
    assert main([*files_args(tmp_path), "--time-limit", "0"]) == 1
    assert "--time-limit 应为正数" in capsys.readouterr().err


def test_at_the_time_limit_the_best_plan_found_and_a_proven_bound() -> None:
    import random

    rng = random.Random(3)
    weaker = [
        School(
            f"W{i}",
            "C",
            "weaker",
            frozenset({"junior"}),
            121.4 + rng.uniform(-0.1, 0.1),
            31.2 + rng.uniform(-0.1, 0.1),
        )
        for i in range(4)
    ]
    subjects = ["语文", "数学", "美术", "音乐"]
    staff = [Teacher(f"T{i:03d}", "Q", rng.choice(subjects), "junior", rng.random() < 0.3) for i in range(80)]
    needs = [Need(w.code, s, "junior", rng.randint(0, 3)) for w in weaker for s in subjects]
    hurried = plan(staff, [Q, *weaker], needs, replace(OPTIONS, time_limit=1e-7)).clusters[0]
    optimal = plan(staff, [Q, *weaker], needs, OPTIONS).clusters[0]
    assert (hurried.status, optimal.status) == ("time_limit", "optimal")
    assert (
        hurried.objective <= optimal.objective <= hurried.bound
    )  # the greedy plan at worst, and a true bound
    assert hurried.schools[0].sent == 16 and hurried.bound < float("inf")


# Changes by hand: pinned and forbidden pairs ---------------------------------------------------------------------


def _hand_cluster() -> tuple[list[Teacher], list[School], list[Need]]:
    """15 eligible junior maths teachers, 5 of them backbone: a quota of 3; W1 is the nearer, both need 3."""
    return (
        teachers(15, backbone=5),
        [Q, NEAR, FAR],
        [Need("W1", "数学", "junior", 3), Need("W2", "数学", "junior", 3)],
    )


def _pairs(result: object) -> set[tuple[str, str]]:
    return {(a.staff_number, a.to) for c in result.clusters for a in c.assignments}  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", ["optimal", "greedy"])
def test_a_forbidden_pair_is_never_planned_and_a_pinned_one_always(method: str) -> None:
    data = _hand_cluster()
    free = plan(*data, replace(OPTIONS, method=method))
    assert {to for _t, to in _pairs(free)} == {"W1"}  # three to the nearer school
    first = sorted(_pairs(free))[0]
    forbidden = plan(*data, replace(OPTIONS, method=method, forbidden=frozenset({first})))
    assert first not in _pairs(forbidden)
    pinned = plan(*data, replace(OPTIONS, method=method, pinned=frozenset({("Q10", "W2")})))
    assert ("Q10", "W2") in _pairs(pinned)  # a non-backbone teacher to the farther school, as asked
    if method == "optimal":  # the greedy baseline keeps a pin even where it then breaks a rule
        assert len(_pairs(forbidden)) == 3
        cluster = clusters_of(*data)[0]
        chosen = [c for c in cluster.candidates if (c.teacher.staff_number, c.school.code) in _pairs(pinned)]
        assert len(chosen) == 3 and not violations(cluster, chosen, OPTIONS)


def test_pins_that_break_a_rule_are_refused_naming_it() -> None:
    from junheng.policy.planner import Infeasible

    data = _hand_cluster()
    with pytest.raises(Infeasible, match="Q99 → W1 不可行"):
        plan(*data, replace(OPTIONS, pinned=frozenset({("Q99", "W1")})))
    with pytest.raises(Infeasible, match="不止一所学校"):
        plan(*data, replace(OPTIONS, pinned=frozenset({("Q00", "W1"), ("Q00", "W2")})))
    four = frozenset({(f"Q{i:02d}", "W1") for i in range(4)})  # W1 needs 3 junior maths teachers
    with pytest.raises(Infeasible, match="W1 的数学（初中）需求 3 人，安排了 4 人"):
        plan(*data, replace(OPTIONS, pinned=four, max_share=Decimal("0.5")))
    one = frozenset({("Q10", "W2")})  # W2 would receive 1 only if no one else could go there: here 5 can
    assert ("Q10", "W2") in _pairs(plan(*data, replace(OPTIONS, pinned=one)))
    lone = frozenset({("Q10", "W2"), ("Q11", "W1")})  # the quota is 3: W1 or W2 is left with fewer than 3
    with pytest.raises(Infeasible, match="组团流入"):
        plan(*data, replace(OPTIONS, pinned=lone))


def test_teachers_already_arranged_or_away_count_among_the_eligible_and_are_not_planned(
    tmp_path: Path,
) -> None:
    """10 eligible junior maths teachers, 20% of 10 is 2: Q00 is already arranged to go to W1 (whose need of 3
    keeps 2 open) and Q01 is away in another rotation; so the plan sends one more, and never Q00 or Q01."""
    (tmp_path / "t.csv").write_text(
        "staff_number,school_code,subject,stage,backbone,eligible,available,arranged_to\n"
        "Q00,Q,数学,junior,1,1,1,W1\nQ01,Q,数学,,1,1,0,\n"
        + "".join(f"Q{i:02d},Q,数学,junior,{int(i < 4)},1,,\n" for i in range(2, 10)),
        encoding="utf-8",
    )
    (tmp_path / "s.csv").write_text(
        "school_code,cluster,tier,stages,lon,lat\nQ,C,quality,junior,121.47,31.23\nW1,C,weaker,junior,121.48,31.23\n",
        encoding="utf-8",
    )
    (tmp_path / "n.csv").write_text("school_code,subject,stage,need\nW1,数学,junior,3\n", encoding="utf-8")
    teachers, schools, needs = read_files(tmp_path / "t.csv", tmp_path / "s.csv", tmp_path / "n.csv")
    [cluster] = clusters_of(teachers, schools, needs)
    assert cluster.eligible("Q") == 10 and cluster.to_send("Q", Decimal("0.20")) == 1
    assert cluster.needs == {("W1", "数学", "junior"): 2}
    result = plan(teachers, schools, needs, replace(OPTIONS, teams=False))
    [school] = result.clusters[0].schools
    assert (school.eligible, school.required, school.sent, school.shortfall) == (10, 2, 2, 0)
    assert school.backbone_sent >= 1
    [assignment] = result.clusters[0].assignments
    assert assignment.staff_number not in ("Q00", "Q01")


def test_arranged_to_must_name_a_weaker_school_of_the_cluster(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(
        "staff_number,school_code,subject,stage,backbone,eligible,arranged_to\nQ00,Q,数学,junior,1,1,Q\n",
        encoding="utf-8",
    )
    (tmp_path / "s.csv").write_text(
        "school_code,cluster,tier,stages,lon,lat\nQ,C,quality,junior,121.47,31.23\n", encoding="utf-8"
    )
    (tmp_path / "n.csv").write_text("school_code,subject,stage,need\n", encoding="utf-8")
    with pytest.raises(FilesInvalid, match=r"t\.csv 第 2 行“arranged_to”列"):
        read_files(tmp_path / "t.csv", tmp_path / "s.csv", tmp_path / "n.csv")
