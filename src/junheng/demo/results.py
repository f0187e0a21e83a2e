"""Demo monitoring results: two years of scores for the demo schools, loaded through the real upload check and
evaluated, so the evaluation pages have something to show and the model standard (R-E3) is met, missed and
cannot be judged somewhere (city.PROFILES)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import duckdb
from django.core.files import File

from junheng.evaluation.inputs import quoted, register_schools
from junheng.evaluation.platform import edition_standard, evaluate_platform, membership_day, save_results
from junheng.evaluation.services import receive_upload, run_upload
from junheng.organisations.choices import Tier
from junheng.organisations.models import ClusterMembership, School, in_force_on

from .city import CATCHING_UP, PARTLY_REPORTED, UNBALANCED, demo_cluster_profiles

YEARS = (2023, 2024)
SUBJECTS = ("语文", "数学", "英语")
STUDENTS_PER_GRADE = 40

# Grades of a school by stage, in the later year; each student sat the year before one grade lower.
GRADES = {"primary": (4, 5), "junior": (7, 8), "nine_year": (5, 8)}

SCORES = """
WITH students AS (
  SELECT k.school_code, g.grade, k.school_code || '-' || g.grade || '-' || n AS student_id,
         p.effect + CAST(hash(k.school_code) % 11 AS INTEGER) - 5 AS school_effect, p.gain, p.reports_later,
         12 * sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random()) AS ability
  FROM schools k
  JOIN (VALUES {grades}) g(stage, grade) ON g.stage = k.stage
  JOIN (VALUES {profiles}) p(school_code, effect, gain, reports_later) ON p.school_code = k.school_code,
  range({students}) r(n)
)
SELECT y.year, s.student_id, s.school_code, s.grade - ({last} - y.year) AS grade, j.subject,
       round(greatest(0, least(100, 74 + s.school_effect + s.ability + CASE WHEN y.year = {last} THEN s.gain ELSE 0 END
             + 6 * sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random()))), 1) AS score,
       NULL AS level
FROM students s, (VALUES {years}) y(year), (VALUES {subjects}) j(subject)
WHERE y.year < {last} OR s.reports_later
"""


def school_profiles(day: date) -> dict[str, tuple[int, int, bool]]:
    """Demo school code → (its effect on scores, its gain in the later year, whether it reported the later year),
    from its tier and how its cluster fares: a weaker school starts 6 points behind, 16 in an unbalanced cluster,
    and gains 5 more than the others where its cluster catches up."""
    profiles = {s: (0, 1, True) for s in School.objects.filter(is_demo=True).exclude(code=None).values_list(
        "code", flat=True)}  # fmt: skip
    fares = demo_cluster_profiles()
    members = ClusterMembership.objects.filter(in_force_on(day), cluster__in=list(fares)).select_related(
        "school", "cluster"
    )
    for m in members:
        profile, weaker = fares[m.cluster_id], m.tier == Tier.WEAKER
        effect = (-16 if profile == UNBALANCED else -6) if weaker else 0
        gain = 6 if weaker and profile == CATCHING_UP else 1
        reported = profile != PARTLY_REPORTED or m.school_id == m.cluster.lead_school_id
        profiles[str(m.school.code)] = (effect, gain, reported)
    return profiles


def demo_results_build() -> int:
    """Loads and evaluates the demo years; returns how many score rows were loaded."""
    day = membership_day(YEARS[-1])
    schools = [
        {"school_code": s.code, "district_code": "", "stage": s.stage}
        for s in School.objects.filter(is_demo=True).exclude(code=None)
    ]
    profiles = school_profiles(day)
    rows = 0
    with tempfile.TemporaryDirectory() as workdir, duckdb.connect() as connection:
        connection.execute("SELECT setseed(0.2024)")
        register_schools(connection, schools, Path(workdir))
        sql = SCORES.format(
            grades=", ".join(f"('{stage}', {grade})" for stage, grades in GRADES.items() for grade in grades),
            students=STUDENTS_PER_GRADE,
            last=YEARS[-1],
            years=", ".join(f"({year})" for year in YEARS),
            subjects=", ".join(f"('{subject}')" for subject in SUBJECTS),
            profiles=", ".join(
                f"('{code}', {e}, {g}, {str(r).lower()})" for code, (e, g, r) in profiles.items()
            ),
        )
        connection.execute(f"CREATE TABLE scores AS {sql}")
        for year in YEARS:
            path = Path(workdir) / f"演示成绩{year}.csv"
            connection.execute(
                f"COPY (SELECT * FROM scores WHERE year = {year}) TO '{quoted(path)}' (HEADER)"
            )
            with path.open("rb") as handle:
                upload = receive_upload(
                    actor=None, year=year, district=None, file=File(handle, name=path.name), queue=False
                )
            rows += run_upload(upload.pk).rows
    for year in YEARS:
        save_results(evaluate_platform(year, edition_standard(year)))
    return rows
