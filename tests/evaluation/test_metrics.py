"""The monitoring metrics (R-E3): hand-checked examples, an independent estimate, and property tests of the SQL
against the plain-Python reference."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.evaluation.analysis import DuckEngine, shipped_standard
from junheng.evaluation.inputs import register_schools
from junheng.evaluation.metrics import Standard, metrics

from .reference import reference_metrics, weighted_cv

STANDARD = Standard(cut_score=60, between_school_share_below=0.15)  # S2's numbers

SCORE_COLUMNS = ("year", "student_id", "school_code", "grade", "subject", "score", "level")


def run(scores: list[dict[str, Any]], schools: list[dict[str, Any]], year: int, standard: Standard) -> Any:
    with tempfile.TemporaryDirectory() as workdir, duckdb.connect() as connection:
        register_schools(connection, schools, Path(workdir))
        connection.execute(
            "CREATE TABLE scores (year INTEGER, student_id VARCHAR, school_code VARCHAR, grade INTEGER, "
            "subject VARCHAR, score DOUBLE, level VARCHAR)"
        )
        if scores:
            connection.executemany(
                "INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?)",
                [[r[c] for c in SCORE_COLUMNS] for r in scores],
            )
        return metrics(DuckEngine(connection), year, standard)


def school(
    code: str, cluster: str = "一学区", district: str = "310101", tier: str = "", stage: str = ""
) -> Any:
    return {
        "school_code": code,
        "school_name": code,
        "district_code": district,
        "cluster": cluster,
        "stage": stage,
        "tier": tier,
    }


def mark(student: str, code: str, score: float, year: int = 2024, grade: int = 4, level: str = "") -> Any:
    return {
        "year": year,
        "student_id": student,
        "school_code": code,
        "grade": grade,
        "subject": "数学",
        "score": score,
        "level": level or None,
    }


def test_the_published_example_of_the_national_method_gives_a_weighted_cv_of_0_515() -> None:
    """5 schools; books per student 6.20, 3.70, 10.51, 2.11, 7.31 with 45, 37, 89, 76, 55 students."""
    values, counts = [6.20, 3.70, 10.51, 2.11, 7.31], [45, 37, 89, 76, 55]
    assert round(weighted_cv(values, counts), 3) == 0.515
    scores = [
        mark(f"{i}-{k}", f"S{i}", value)
        for i, (value, n) in enumerate(zip(values, counts, strict=True))
        for k in range(n)
    ]
    (cluster,) = run(scores, [school(f"S{i}") for i in range(5)], 2024, STANDARD)["clusters"]
    assert round(cluster["weighted_cv"], 3) == 0.515
    assert cluster["schools"] == 5 and cluster["students"] == 302
    assert (
        cluster["between_school_share"] == 1.0
    )  # every student scores the school's value: all between schools


def test_a_hand_checked_small_cluster() -> None:
    """A: 60, 70, 80 (mean 70); B: 80, 90 (mean 85). N = 5, J = 2, grand mean 76.
    SSB = 3·36 + 2·81 = 270 → MSB 270; SSW = 200 + 50 = 250 → MSW 250/3; n0 = (5 − 13/5) / 1 = 2.4;
    σ²_b = (270 − 83.33…) / 2.4 = 77.77…; share = 77.77… / (77.77… + 83.33…) = 0.48275862…
    CV = sqrt(270 / 5) / 76 = 0.09669…; pass (≥ 60) 5 of 5; with a level 待合格 on the 60: 4 of 5."""
    scores = [mark("a1", "A", 60, level="待合格"), mark("a2", "A", 70), mark("a3", "A", 80)]
    scores += [mark("b1", "B", 80), mark("b2", "B", 90)]
    result = run(scores, [school("A", tier="weaker"), school("B", tier="quality")], 2024, STANDARD)
    (cluster,) = result["clusters"]
    assert cluster["between_school_share"] == pytest.approx(0.4827586206896552, abs=1e-12)
    assert cluster["weighted_cv"] == pytest.approx((270 / 5) ** 0.5 / 76, abs=1e-12)
    assert cluster["pass_share"] == pytest.approx(0.8)
    assert cluster["district_pass_share"] == pytest.approx(0.8)
    assert cluster["weaker_schools_improved"] is False  # no earlier year: nothing shows an improvement
    assert cluster["meets_model_standard"] is False
    a, b = result["schools"]
    assert (a["school_code"], a["students"], a["mean"], a["sd"]) == ("A", 3, 70.0, 10.0)
    assert b["pass_share"] == 1.0 and b["change"] is None and b["value_added"] is None


def test_value_added_is_the_mean_residual_of_last_years_line() -> None:
    """Four linked students, y = x + 5 for three, one 10 points above; the line is fitted city-wide."""
    before = [mark(s, "A", x, year=2023, grade=3) for s, x in (("s1", 50), ("s2", 60), ("s3", 70))]
    before += [mark("s4", "B", 80, year=2023, grade=3)]
    after = [mark("s1", "A", 55), mark("s2", "A", 65), mark("s3", "A", 75), mark("s4", "B", 95)]
    result = run(before + after, [school("A"), school("B")], 2024, STANDARD)
    schools = {row["school_code"]: row for row in result["schools"]}
    # least squares over (50,55), (60,65), (70,75), (80,95): Sxy 650, Sxx 500, slope 1.3, intercept −12;
    # residuals 2, −1, −4 (school A) and 3 (school B)
    assert schools["A"]["value_added"] == pytest.approx(-1.0, abs=1e-9)
    assert schools["B"]["value_added"] == pytest.approx(3.0, abs=1e-9)
    assert schools["A"]["change"] == pytest.approx(5.0)


def test_the_estimate_matches_the_share_the_data_were_drawn_with() -> None:
    """An independent check: 60 schools of 80 students, school effects with variance 0.25 and pupils with 0.75 —
    the estimate lands near 0.25."""
    rng = random.Random(7)
    scores, schools = [], []
    for s in range(60):
        effect = rng.gauss(0, 0.5)
        schools.append(school(f"S{s}"))
        scores += [mark(f"{s}-{k}", f"S{s}", 70 + 10 * (effect + rng.gauss(0, 0.75**0.5))) for k in range(80)]
    (cluster,) = run(scores, schools, 2024, STANDARD)["clusters"]
    assert 0.17 < cluster["between_school_share"] < 0.33


def close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(a == pytest.approx(b, rel=1e-9, abs=1e-9))


@st.composite
def monitoring_data(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    codes = [f"S{i}" for i in range(draw(st.integers(1, 6)))]
    schools = [
        school(
            code,
            cluster=draw(st.sampled_from(["", "甲", "乙"])),
            district=draw(st.sampled_from(["310101", "310104"])),
            tier=draw(st.sampled_from(["", "quality", "weaker"])),
            stage=draw(st.sampled_from(["", "primary", "junior"])),
        )
        for code in codes
    ]
    scores = []
    for k in range(draw(st.integers(1, 40))):
        code = draw(st.sampled_from(codes))
        grade = draw(st.sampled_from([4, 7]))
        for subject in draw(st.sets(st.sampled_from(["语文", "数学"]), min_size=1)):
            for year in draw(st.sets(st.sampled_from([2023, 2024]), min_size=1)):
                level = draw(st.sampled_from([None, "优秀", "待合格", "C", "D"]))
                score = draw(st.integers(0, 100)) + draw(st.sampled_from([0, 0.5]))
                scores.append(
                    {
                        "year": year,
                        "student_id": f"p{k}",
                        "school_code": draw(st.sampled_from(codes)) if year == 2023 else code,
                        "grade": grade - (year == 2023),
                        "subject": subject,
                        "score": score,
                        "level": level,
                    }
                )
    return scores, schools


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(monitoring_data())
def test_every_metric_equals_the_reference(data: Any) -> None:
    scores, schools = data
    result = run(scores, schools, 2024, STANDARD)
    expected = reference_metrics(scores, schools, 2024, 60)
    assert {(r["school_code"], r["subject"]) for r in result["schools"]} == set(expected["schools"])
    for row in result["schools"]:
        want = expected["schools"][row["school_code"], row["subject"]]
        assert all(close(row[k], v) for k, v in want.items()), [
            (k, row[k], v) for k, v in want.items() if not close(row[k], v)
        ]
    assert {
        (r["district_code"], r["stage"], r["subject"]): r["pass_share"] for r in result["districts"]
    }.keys() == (expected["districts"].keys())
    for row in result["districts"]:
        assert close(
            row["pass_share"], expected["districts"][row["district_code"], row["stage"], row["subject"]]
        )
    assert {(r["cluster"], r["stage"], r["subject"]) for r in result["clusters"]} == set(expected["clusters"])
    for row in result["clusters"]:
        want = expected["clusters"][row["cluster"], row["stage"], row["subject"]]
        assert all(close(row[k], v) for k, v in want.items()), [
            (k, row[k], v) for k, v in want.items() if not close(row[k], v)
        ]


def test_analyst_mode_reads_files_and_needs_no_database(tmp_path: Path) -> None:
    schools = tmp_path / "schools.csv"
    schools.write_text(
        "school_code,school_name,district_code,cluster,stage,tier\n"
        "A,甲小学,310101,一学区,小学,薄弱\n"
        "B,乙小学,310101,一学区,primary,quality\n"
        "C,丙小学,310101,,小学,\n",
        encoding="utf-8",
    )
    scores = tmp_path / "scores.csv"
    lines = ["year,student_id,school_code,grade,subject,score"]
    lines += [
        f"2024,{code}{k},{code},4,数学,{score}"
        for code, score in (("A", 70), ("B", 80), ("C", 50))
        for k in range(3)
    ]
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "metrics.json"
    call_command(
        "evaluate", "--scores", str(scores), "--schools", str(schools), "--year", "2024", "--output", str(out)
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["year"] == 2024
    (cluster,) = result["clusters"]
    assert cluster["cluster"] == "一学区" and cluster["students"] == 6 and cluster["pass_share"] == 1.0
    assert cluster["district_pass_share"] == pytest.approx(6 / 9)
    assert {d["district_code"] for d in result["districts"]} == {"310101"}
    assert [s["school_code"] for s in result["schools"]] == ["A", "B", "C"]
    assert shipped_standard(2024) == STANDARD  # S2, in force in 2024


def test_a_bad_schools_file_is_refused_by_row_and_column(tmp_path: Path) -> None:
    schools = tmp_path / "schools.csv"
    schools.write_text(
        "school_code,district_code,stage,tier\nA,310101,高中,\nA,310101,小学,中等\n", encoding="utf-8"
    )
    scores = tmp_path / "scores.csv"
    scores.write_text("year,student_id,school_code,grade,subject,score\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("evaluate", "--scores", str(scores), "--schools", str(schools), "--year", "2024")
    message = str(refused.value)
    assert "第2行，“stage”列：“高中”不是以下之一" in message
    assert "第3行，“school_code”列" in message and "第3行，“tier”列：“中等”" in message


def test_the_console_command_runs_an_analysts_files_without_the_platforms_apps(tmp_path: Path) -> None:
    """`junheng evaluate` with files starts without Django's apps; its errors still speak Chinese."""
    schools = tmp_path / "schools.csv"
    schools.write_text("school_code,district_code,stage\nA,310101,高中\n", encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_text(
        "year,student_id,school_code,grade,subject,score\n2024,x,A,4,数学,70\n", encoding="utf-8"
    )
    command = [str(Path(sys.executable).parent / "junheng"), "evaluate", "--year", "2024"]
    refused = subprocess.run(
        [*command, "--scores", str(scores), "--schools", str(schools)], capture_output=True, text=True
    )
    assert refused.returncode == 1
    assert "第2行，“stage”列：“高中”不是以下之一" in refused.stderr
    schools.write_text("school_code,district_code,stage\nA,310101,小学\n", encoding="utf-8")
    done = subprocess.run(
        [*command, f"--scores={scores}", f"--schools={schools}"], capture_output=True, text=True, check=True
    )
    (row,) = json.loads(done.stdout)["schools"]
    assert row["school_code"] == "A" and row["mean"] == 70.0 and row["sd"] is None
