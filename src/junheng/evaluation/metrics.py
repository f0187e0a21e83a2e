"""The monitoring metrics of one year, written once in SQL that DuckDB and Spark SQL both run (R-E3, SPEC's
reference formulas).

Three input tables:

- `scores(year, student_id, school_code, grade, subject, score, level)`: one row per student, subject and year;
  `level` is 优秀/良好/合格/待合格 or A–D, or empty when only the score is known.
- `schools(school_code, school_name, district_code, stage, …)`: `stage` is `primary`/`junior` or empty (then read
  from the grade: 1–5 primary, 6–9 junior).
- `cluster_members(cluster, school_code, district_code, tier)`: the cluster's members, with the cluster's district and
  the member's tier (`quality`/`weaker` or empty); a school may belong to several clusters, or to none.

The scores are read twice: once into sums per school, grade and subject, from which every statistic but value added
is built, and once to link each student's two years. The ratios at the end are plain arithmetic on those sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

PASSING_LEVELS = ("优秀", "良好", "合格", "A", "B", "C")
# A value added or change within rounding of zero is no improvement (a perfect fit leaves residuals of ±1e-15).
IMPROVEMENT_ABOVE = 1e-9


class Engine(Protocol):
    """Runs the metric SQL: DuckDB on one machine, Spark SQL on a cluster."""

    def materialize(self, name: str, sql: str) -> None:
        """Keeps the result of `sql` as a table named `name` for the queries that follow."""

    def rows(self, sql: str) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Parameters:
    year: int
    cut_score: float  # a score at or above it passes when the row has no level

    def sql(self, template: str) -> str:
        # Only numbers are put into the SQL, so both engines read the same text.
        return template.format(
            year=int(self.year),
            prior=int(self.year) - 1,
            cut=float(self.cut_score),
            passing=", ".join(f"'{level}'" for level in PASSING_LEVELS),
            improvement=IMPROVEMENT_ABOVE,
        )


# The finest grain every later statistic is built from: per year, school, grade and subject. The scores are read
# here once, before any join, so the join to the schools touches these few rows and not every mark. The variance
# is VAR_SAMP (numerically stable); coarser grains pool it below.
GRADE_GRAIN = """
SELECT year, school_code, grade, subject, COUNT(*) AS students, AVG(score) AS mean,
       COALESCE(VAR_SAMP(score), 0) AS variance,
       SUM(CASE WHEN level IS NULL OR level = '' THEN CASE WHEN score >= {cut} THEN 1 ELSE 0 END
                WHEN level IN ({passing}) THEN 1 ELSE 0 END) AS passed
FROM scores WHERE year IN ({year}, {prior})
GROUP BY year, school_code, grade, subject
"""


def pooled(source: str, keys: str) -> str:
    """Per `keys`, the parts in `source` pooled into one group: students and passes added, the mean weighted by
    students, the variance from the sums of squares within the parts plus between their means."""
    window = f"OVER (PARTITION BY {keys})"
    return f"""
WITH parts AS (
  SELECT *, SUM(students * mean) {window} / SUM(students) {window} AS pooled_mean FROM {source}
)
SELECT {keys}, SUM(students) AS students, MIN(pooled_mean) AS mean,
       CASE WHEN SUM(students) > 1 THEN
         SUM((students - 1) * variance + students * (mean - pooled_mean) * (mean - pooled_mean))
         / (SUM(students) - 1) ELSE 0 END AS variance,
       SUM(passed) AS passed
FROM parts GROUP BY {keys}
"""


# Per year, school, stage and subject: the stage is the school's, or read from the grade when the school has none.
SCHOOL_GRAIN = pooled(
    """(SELECT g.*, COALESCE(NULLIF(k.stage, ''), CASE WHEN g.grade <= 5 THEN 'primary' ELSE 'junior' END) AS stage
        FROM grade_grain g LEFT JOIN schools k ON k.school_code = g.school_code)""",
    "year, school_code, stage, subject",
)

# Per year, school and subject, stages pooled.
SCHOOL_SUBJECT = pooled("school_grain", "year, school_code, subject")

# Value added: the city-wide line of this year's score (y) on last year's (x) per grade and subject, from the
# linked students' sums; a school's value added is its students' mean residual, Σ(y − a − b·x) / n. A line whose
# x does not vary (within rounding) has no slope, and its students no residual.
LINKED = """
SELECT c.school_code, c.grade, c.subject, COUNT(*) AS n, SUM(p.score) AS sx, SUM(c.score) AS sy,
       SUM(p.score * p.score) AS sxx, SUM(p.score * c.score) AS sxy
FROM (SELECT * FROM scores WHERE year = {year}) c
JOIN (SELECT student_id, subject, score FROM scores WHERE year = {prior}) p
  ON p.student_id = c.student_id AND p.subject = c.subject
GROUP BY c.school_code, c.grade, c.subject
"""

VALUE_ADDED = """
WITH sums AS (
  SELECT grade, subject, SUM(n) AS n, SUM(sx) AS sx, SUM(sy) AS sy, SUM(sxx) AS sxx, SUM(sxy) AS sxy
  FROM linked GROUP BY grade, subject
),
lines AS (
  SELECT grade, subject, (sxy - sx * sy / n) / (sxx - sx * sx / n) AS slope, sx / n AS mx, sy / n AS my
  FROM sums WHERE sxx - sx * sx / n > 1e-12 * sxx
)
SELECT l.school_code, l.subject, SUM(l.sy - l.n * f.my - f.slope * (l.sx - l.n * f.mx)) / SUM(l.n) AS value_added
FROM linked l JOIN lines f ON f.grade = l.grade AND f.subject = l.subject
GROUP BY l.school_code, l.subject
"""

SCHOOLS_OUT = """
SELECT c.school_code, c.subject, c.students, c.mean,
       CASE WHEN c.students > 1 THEN SQRT(c.variance) END AS sd,
       CAST(c.passed AS DOUBLE) / c.students AS pass_share,
       c.mean - p.mean AS change, v.value_added
FROM school_subject c
LEFT JOIN school_subject p ON p.school_code = c.school_code AND p.subject = c.subject AND p.year = {prior}
LEFT JOIN value_added v ON v.school_code = c.school_code AND v.subject = c.subject
WHERE c.year = {year}
ORDER BY c.school_code, c.subject
"""

DISTRICTS_OUT = """
SELECT k.district_code, t.stage, t.subject, COUNT(*) AS schools, SUM(t.students) AS students,
       CAST(SUM(t.passed) AS DOUBLE) / SUM(t.students) AS pass_share
FROM school_grain t JOIN schools k ON k.school_code = t.school_code
WHERE t.year = {year}
GROUP BY k.district_code, t.stage, t.subject
ORDER BY k.district_code, t.stage, t.subject
"""

# Per cluster, stage and subject. With J schools, N students, n_j, mean m_j and variance s_j² per school:
# SSB = Σ n_j (m_j − m̄)², SSW = Σ (n_j − 1) s_j²; MSB = SSB / (J − 1), MSW = SSW / (N − J),
# n0 = (N − Σ n_j² / N) / (J − 1), σ²_b = max(0, (MSB − MSW) / n0), share = σ²_b / (σ²_b + MSW);
# weighted CV = sqrt(SSB / N) / m̄. A weaker school improved when its value added is above zero (its change of mean
# where no student could be linked to last year).
CLUSTERS_OUT = """
WITH members AS (
  SELECT k.cluster, k.district_code, k.tier, t.stage, t.subject, t.students, t.mean, t.variance, t.passed,
         CASE WHEN COALESCE(v.value_added, o.change) > {improvement} THEN 1 ELSE 0 END AS improved,
         SUM(t.students * t.mean) OVER (PARTITION BY k.cluster, t.stage, t.subject)
           / SUM(t.students) OVER (PARTITION BY k.cluster, t.stage, t.subject) AS grand_mean
  FROM school_grain t
  JOIN cluster_members k ON k.school_code = t.school_code
  LEFT JOIN value_added v ON v.school_code = t.school_code AND v.subject = t.subject
  LEFT JOIN schools_out o ON o.school_code = t.school_code AND o.subject = t.subject
  WHERE t.year = {year}
),
sums AS (
  SELECT cluster, stage, subject, MIN(district_code) AS district_code,
         COUNT(*) AS schools, SUM(students) AS students, SUM(passed) AS passed, MIN(grand_mean) AS grand_mean,
         SUM(students * (mean - grand_mean) * (mean - grand_mean)) AS ssb,
         SUM((students - 1) * variance) AS ssw,
         CAST(SUM(students * students) AS DOUBLE) AS sum_n2,
         SUM(CASE WHEN tier = 'weaker' THEN 1 ELSE 0 END) AS weaker_schools,
         SUM(CASE WHEN tier = 'weaker' THEN improved ELSE 0 END) AS weaker_improved
  FROM members GROUP BY cluster, stage, subject
),
variance_parts AS (
  SELECT s.*,
         CASE WHEN schools > 1 AND students > schools THEN
           GREATEST(0.0, (ssb / (schools - 1) - ssw / (students - schools))
                         / ((students - sum_n2 / students) / (schools - 1)))
         END AS between_variance,
         CASE WHEN students > schools THEN ssw / (students - schools) END AS within_variance
  FROM sums s
)
SELECT c.cluster, c.stage, c.subject, c.district_code, c.schools, c.students,
       CASE WHEN c.between_variance + c.within_variance > 0
            THEN c.between_variance / (c.between_variance + c.within_variance) END AS between_school_share,
       CASE WHEN c.grand_mean <> 0 THEN SQRT(c.ssb / c.students) / c.grand_mean END AS weighted_cv,
       CAST(c.passed AS DOUBLE) / c.students AS pass_share,
       d.pass_share AS district_pass_share,
       c.weaker_schools, c.weaker_improved
FROM variance_parts c
LEFT JOIN districts_out d ON d.district_code = c.district_code AND d.stage = c.stage AND d.subject = c.subject
ORDER BY c.cluster, c.stage, c.subject
"""


@dataclass(frozen=True)
class Standard:
    """The model standard's numbers, from the policy edition in force (R-E3; `analysis.standard_from`)."""

    cut_score: float
    between_school_share_below: float


def metrics(engine: Engine, year: int, standard: Standard) -> dict[str, Any]:
    """Every metric of `year` as plain rows: schools, districts and clusters."""
    parameters = Parameters(year=year, cut_score=standard.cut_score)
    for name, template in (
        ("grade_grain", GRADE_GRAIN),
        ("school_grain", SCHOOL_GRAIN),
        ("school_subject", SCHOOL_SUBJECT),
        ("linked", LINKED),
        ("value_added", VALUE_ADDED),
        ("schools_out", SCHOOLS_OUT),
        ("districts_out", DISTRICTS_OUT),
    ):
        engine.materialize(name, parameters.sql(template))
    clusters = [_judged(row, standard) for row in engine.rows(parameters.sql(CLUSTERS_OUT))]
    return {
        "year": year,
        "clusters": clusters,
        "schools": engine.rows("SELECT * FROM schools_out ORDER BY school_code, subject"),
        "districts": engine.rows("SELECT * FROM districts_out ORDER BY district_code, stage, subject"),
    }


def _judged(row: dict[str, Any], standard: Standard) -> dict[str, Any]:
    """Adds the model standard's three tests: pass share ≥ the district's, between-school share below the line,
    every weaker school improved (None when the cluster has no weaker school)."""
    weaker, improved = row.pop("weaker_schools"), row.pop("weaker_improved")
    row["weaker_schools_improved"] = None if not weaker else improved == weaker
    share = row["between_school_share"]
    row["meets_model_standard"] = (
        row["district_pass_share"] is not None
        and row["pass_share"] >= row["district_pass_share"]
        and share is not None
        and share < standard.between_school_share_below
        and row["weaker_schools_improved"] is not False
    )
    return row
