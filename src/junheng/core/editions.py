"""Policy editions as every app reads them: the thresholds in force on a date, and the editions the platform ships.

The editions live in the policy app (edited by the municipal commission, copied for a new round); the apps below
it read a threshold through `thresholds_on`, which asks the provider named by settings.JUNHENG_THRESHOLDS_PROVIDER
(the policy app's), so that no app imports policy and none chooses an edition in code. Work done without the
platform's database (the analyst's `junheng evaluate --scores`) reads the shipped editions, `shipped_thresholds_on`.

Each shipped entry: (key, value or None for a requirement without a number, comparator, unit, source, clause), and
a note as a seventh item where the number is not the document's (a parameter of the platform). Comparators: gte (at
least), lte (at most), lt (below). The clauses are quoted from the documents; a parameter's clause says it is none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ThresholdValue:
    key: str
    value: Decimal | None
    comparator: str
    unit: str
    source: str
    clause: str
    edition: str = ""  # the code of the edition it was read from
    note: str = ""  # said of a number that is not the clause's (Threshold.note)

    def met_by(self, measured: float | Decimal) -> bool:
        assert self.value is not None
        number = Decimal(str(measured))
        return {"gte": number >= self.value, "lte": number <= self.value, "lt": number < self.value}[
            self.comparator
        ]

    def as_dict(self) -> dict[str, Any]:
        value = None if self.value is None else float(self.value)
        found = {"key": self.key, "value": value, "comparator": self.comparator, "unit": self.unit}
        return {**found, "note": self.note} if self.note else found


def thresholds_on(day: date, keys: Iterable[str]) -> dict[str, ThresholdValue]:
    """Each key's threshold in the edition in force on the day (policy.selectors.thresholds_in_force)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    provider: Callable[[date, list[str]], dict[str, ThresholdValue]] = import_string(
        settings.JUNHENG_THRESHOLDS_PROVIDER
    )
    return provider(day, list(keys))


def threshold_number(day: date, key: str) -> float:
    """One threshold's number in force on the day."""
    value = thresholds_on(day, [key])[key].value
    assert value is not None, key
    return float(value)


def in_force_first(editions: Iterable[Any], day: date) -> list[Any]:
    """Editions (anything with period_start and period_end) in the order a threshold is looked for on the day:
    those in force, the latest first; then those already ended, the latest first; then those not yet begun,
    the nearest first."""

    def rank(edition: Any) -> tuple[int, int]:
        start = edition.period_start.toordinal()
        if edition.period_start > day:
            return 2, start  # not yet begun: the nearest first
        return (0 if edition.period_end >= day else 1), -start

    return sorted(editions, key=rank)


@dataclass(frozen=True)
class ShippedEdition:
    code: str
    period_start: date
    period_end: date


def shipped_thresholds_on(day: date, keys: Iterable[str]) -> dict[str, ThresholdValue]:
    """As `thresholds_on`, from the editions the platform ships (no database)."""
    editions = in_force_first(
        [ShippedEdition(code, spec["period_start"], spec["period_end"]) for code, spec in EDITIONS.items()],
        day,
    )
    found: dict[str, ThresholdValue] = {}
    for key in keys:
        for edition in editions:
            entry = next((t for t in EDITIONS[edition.code]["thresholds"] if t[0] == key), None)
            if entry is not None:
                _key, value, comparator, unit, source, clause, *note = entry
                found[key] = ThresholdValue(
                    key, value, comparator, unit, source, clause, edition.code, "".join(note)
                )
                break
    return found


S1_CLAUSE_RESIDENT = "精准委托管理要实施托管委员会下的校长负责制，原则上保证支援单位不少于3名管理人员（含学校中层干部）和学科教师常驻受援校，其中管理人员不少于1人。"
S1_CLAUSE_INTERACTION = "互助成长项目要实施项目目标责任制，保证支援单位管理人员和教师有充足的精力和能力参与，且平均每月至少一次与受援校开展富有成效的现场互动交流。"
S1_CLAUSE_REVIEW = "每半年至少开展一次城乡学校携手共进计划总结活动，每年至少召开一次城乡学校携手共进计划现场会;一年半开展中期评估，三年内完成绩效评估"
S1_CLAUSE_BASELINE = "组织实施前，指导各受援校基于“绿色指标”评价报告、办学绩效评估结果等，抓好初态评估，进一步诊断学校发展存在的关键问题，制定切实可行的三年实施规划，并组织专家进行论证。"
S2_CLAUSE_FLOW = "创建市示范性学区和集团的优质校，每年流入相对薄弱校的教师人数应不低于符合交流轮岗条件教师总数的20%，其中在教育教学领域表现突出的骨干教师不低于30%，流动期限不少于3年。"
S2_CLAUSE_SCORED = "流入相对薄弱初中学校的教师应重点覆盖学业水平考试计分科目。"
S2_CLAUSE_APPRAISAL = "有关学区和集团加强教师流动过程管理。由流入校负责教师在流动期内的绩效考核。"
S2_CLAUSE_RETURN = "通过挂职锻炼、跟岗实践、师徒带教等方式，对从相对薄弱校派出的有发展潜力的教师加强培养；考核优良者，回到原任教学学校后应承担相关的教学管理、教研指导等职责，不断增强学校发展的“造血功能”。"
S2_CLAUSE_STAFFING = "由学区、集团统筹师资配置，制定学区、集团内学校教师招聘、流动、职称评聘、绩效工资增量分配的具体方案，报区教育行政部门备案。"
ELIGIBLE_YEARS_CLAUSE = "（不是 S2 的条款）S2 没有规定何为“符合交流轮岗条件”；平台按全国通行做法，以在同一所学校连续任教满 6 年为条件。"
ELIGIBLE_YEARS_NOTE = (
    "不取自 S2：按全国通行做法设定的平台参数（每年 9 月 1 日在编制学校连续任教的年限），可按本区规定修改。"
)
NATIONAL_CLAUSE_RESOURCES = "所有指标校际差异系数，小学均小于或等于0.50，初中均小于或等于0.45。"
S2_CLAUSE_STANDARD = "相关科目学生学业水平达到合格及以上比例不低于当年区域平均水平，且同学段校际差异率低于 0.15，相对薄弱学校进步明显"
S2_CLAUSE_STABLE = "市示范性学区和集团创建过程中，有关学区、集团成员校原则上保持稳定。"
S2_CLAUSE_GOVERNANCE = "通过章程协议等明确学区和集团议事规则、决策程序及协调机制，促进相对统一管理、民主决策和高效互动，实现教育责任共担、发展成果共享。健全学区和集团管委会或理事会制度，建立科学有效的工作例会、课程统筹、联合教研、教师流动、内部考核等制度体系，加强统筹协调和紧密协作。"

EDITIONS: dict[str, dict[str, Any]] = {
    "S1": {
        "name": "第二轮义务教育城乡学校携手共进计划",
        "document_number": "沪教委基〔2021〕4号",
        "period_start": date(2021, 1, 1),
        "period_end": date(2023, 12, 31),
        "thresholds": [
            ("R-B3.resident_staff", Decimal(3), "gte", "人", "S1 四.2", S1_CLAUSE_RESIDENT),
            ("R-B3.resident_managers", Decimal(1), "gte", "人", "S1 四.2", S1_CLAUSE_RESIDENT),
            ("R-B4.on_site_per_month", Decimal(1), "gte", "次/月", "S1 四.2", S1_CLAUSE_INTERACTION),
            ("R-B5.baseline_before_plan", None, "gte", "", "S1 三.1", S1_CLAUSE_BASELINE),
            ("R-B6.reviewed_before_running", None, "gte", "", "S1 三.1", S1_CLAUSE_BASELINE),
            ("R-B7.summaries_per_half_year", Decimal(1), "gte", "次/半年", "S1 二.3", S1_CLAUSE_REVIEW),
            ("R-B7.site_meetings_per_year", Decimal(1), "gte", "次/年", "S1 二.3", S1_CLAUSE_REVIEW),
            ("R-B8.mid_term_month", Decimal(18), "lte", "月", "S1 二.3", S1_CLAUSE_REVIEW),
            ("R-B8.performance_month", Decimal(36), "lte", "月", "S1 二.3", S1_CLAUSE_REVIEW),
        ],
    },
    "S2": {
        "name": "上海市示范性学区和集团建设三年行动计划（2023-2025年）",
        "document_number": "沪教委基〔2023〕15号",
        "period_start": date(2023, 1, 1),
        "period_end": date(2025, 12, 31),
        "thresholds": [
            ("R-A4.stable_membership", None, "gte", "", "S2 二(一)1", S2_CLAUSE_STABLE),
            ("R-A6.governance_adopted", None, "gte", "", "S2 二(一)2", S2_CLAUSE_GOVERNANCE),
            ("R-C2.rotation_share", Decimal("0.20"), "gte", "", "S2 二(二)1", S2_CLAUSE_FLOW),
            ("R-C2.backbone_share", Decimal("0.30"), "gte", "", "S2 二(二)1", S2_CLAUSE_FLOW),
            ("R-C2.rotation_years", Decimal(3), "gte", "年", "S2 二(二)1", S2_CLAUSE_FLOW),
            # Not a number of the document: S2 counts "teachers meeting the conditions for rotation" and does not
            # say what the conditions are.
            (
                "R-C1.rotation_eligible_years",
                Decimal(6),
                "gte",
                "年",
                "平台参数（非 S2 条款）",
                ELIGIBLE_YEARS_CLAUSE,
                ELIGIBLE_YEARS_NOTE,
            ),
            (
                "R-C4.team_inflow",
                Decimal(3),
                "gte",
                "人",
                "S2 二(二)1",
                "面向相对薄弱校，按需实施教师组团流入，流入教师人数不少于3人，开展包班上课、教研引领和项目攻关",
            ),
            ("R-C5.exam_subjects_covered", None, "gte", "", "S2 二(二)1", S2_CLAUSE_SCORED),
            ("R-C6.appraised_by_host", None, "gte", "", "S2 二(二)1", S2_CLAUSE_APPRAISAL),
            ("R-C7.duty_on_return", None, "gte", "", "S2 二(二)1", S2_CLAUSE_RETURN),
            ("R-C8.staffing_plan_filed", None, "gte", "", "S2 二(二)2", S2_CLAUSE_STAFFING),
            (
                "R-C10.cluster_rotation_years",
                Decimal(2),
                "gte",
                "年",
                "S2 二(二)2",
                "将学区、集团内2年交流轮岗工作经历作为提任校级干部的重要因素。",
            ),
            (
                "R-D1.shared_courses_per_school",
                Decimal(1),
                "gte",
                "门/学期",
                "S2 二(三)1",
                "每学期学区、集团内每校至少有 1 门共享课程，可共享课程应不低于 5 门且逐年增加。",
            ),
            (
                "R-D1.shareable_courses",
                Decimal(5),
                "gte",
                "门",
                "S2 二(三)1",
                "每学期学区、集团内每校至少有 1 门共享课程，可共享课程应不低于 5 门且逐年增加。",
            ),
            (
                "R-D1.shareable_courses_growth",
                None,
                "gte",
                "门/学年",
                "S2 二(三)1",
                "每学期学区、集团内每校至少有 1 门共享课程，可共享课程应不低于 5 门且逐年增加。",
            ),
            (
                "R-D5.joint_research_per_subject",
                Decimal(5),
                "gte",
                "次/学期",
                "S2 二(三)2",
                "其中学区、集团内各学科联合教研每学期不少于 5 次。",
            ),
            (
                "R-D7.probation_at_lead_or_development_school",
                None,
                "gte",
                "",
                "S2 二(三)2",
                "强化研训一体，健全学区和集团教师联合培训机制，新教师原则上统一在牵头校、学区或集团内的教师专业发展学校见习培养。",
            ),
            (
                "R-E1.cluster_share_of_appraisal",
                Decimal("0.50"),
                "gte",
                "",
                "S2 二(四)1",
                "各区将示范性学区和集团建设成效作为成员校年度考核和各校校长年度绩效考核的重要内容，在校长考评中的占比不低于 50%",
            ),
            (
                "R-E3.between_school_difference",
                Decimal("0.15"),
                "lt",
                "",
                "S2 二(四)2",
                S2_CLAUSE_STANDARD,
            ),
            # Not numbers of the document: S2 asks for the gaps between schools, and the national method
            # (县域义务教育优质均衡发展督导评估办法, 教督〔2017〕6号) measures them with these limits.
            (
                "R-E2.resource_cv_primary",
                Decimal("0.50"),
                "lte",
                "",
                "S2 二(四)1；教督〔2017〕6号",
                NATIONAL_CLAUSE_RESOURCES,
            ),
            (
                "R-E2.resource_cv_junior",
                Decimal("0.45"),
                "lte",
                "",
                "S2 二(四)1；教督〔2017〕6号",
                NATIONAL_CLAUSE_RESOURCES,
            ),
            # Not a number of the document: the score that counts as pass level when a result has no level.
            ("R-E3.pass_cut_score", Decimal(60), "gte", "分", "S2 二(四)2", S2_CLAUSE_STANDARD),
        ],
    },
}
