"""The policy editions the platform ships: every bold threshold of the specification, with the clause it comes from.

Each entry: (key, value or None for a requirement without a number, comparator, unit, source, clause).
Comparators: gte (at least), lte (at most), lt (below). The clauses are quoted from the documents.
"""

from datetime import date
from decimal import Decimal
from typing import Any

S1_CLAUSE_RESIDENT = "精准委托管理要实施托管委员会下的校长负责制，原则上保证支援单位不少于3名管理人员（含学校中层干部）和学科教师常驻受援校，其中管理人员不少于1人。"
S1_CLAUSE_INTERACTION = "互助成长项目要实施项目目标责任制，保证支援单位管理人员和教师有充足的精力和能力参与，且平均每月至少一次与受援校开展富有成效的现场互动交流。"
S1_CLAUSE_REVIEW = "每半年至少开展一次城乡学校携手共进计划总结活动，每年至少召开一次城乡学校携手共进计划现场会;一年半开展中期评估，三年内完成绩效评估"
S1_CLAUSE_BASELINE = "组织实施前，指导各受援校基于“绿色指标”评价报告、办学绩效评估结果等，抓好初态评估，进一步诊断学校发展存在的关键问题，制定切实可行的三年实施规划，并组织专家进行论证。"
S2_CLAUSE_FLOW = "创建市示范性学区和集团的优质校，每年流入相对薄弱校的教师人数应不低于符合交流轮岗条件教师总数的20%，其中在教育教学领域表现突出的骨干教师不低于30%，流动期限不少于3年。"
NATIONAL_CLAUSE_RESOURCES = "所有指标校际差异系数，小学均小于或等于0.50，初中均小于或等于0.45。"
S2_CLAUSE_STANDARD = "相关科目学生学业水平达到合格及以上比例不低于当年区域平均水平，且同学段校际差异率低于 0.15，相对薄弱学校进步明显"

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
            ("R-C2.rotation_share", Decimal("0.20"), "gte", "", "S2 二(二)1", S2_CLAUSE_FLOW),
            ("R-C2.backbone_share", Decimal("0.30"), "gte", "", "S2 二(二)1", S2_CLAUSE_FLOW),
            ("R-C2.rotation_years", Decimal(3), "gte", "年", "S2 二(二)1", S2_CLAUSE_FLOW),
            (
                "R-C4.team_inflow",
                Decimal(3),
                "gte",
                "人",
                "S2 二(二)1",
                "面向相对薄弱校，按需实施教师组团流入，流入教师人数不少于3人，开展包班上课、教研引领和项目攻关",
            ),
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
                "R-D5.joint_research_per_subject",
                Decimal(5),
                "gte",
                "次/学期",
                "S2 二(三)2",
                "其中学区、集团内各学科联合教研每学期不少于 5 次。",
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


def load_editions(edition_model, threshold_model) -> None:  # type: ignore[no-untyped-def]
    """Creates the shipped editions that are missing; an edition already present is left as users edited it."""
    for code, spec in EDITIONS.items():
        edition, created = edition_model.objects.get_or_create(
            code=code,
            defaults={k: spec[k] for k in ("name", "document_number", "period_start", "period_end")},
        )
        if created:
            _create_thresholds(threshold_model, edition, spec["thresholds"])


def add_missing_thresholds(edition_model, threshold_model, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Adds thresholds that a later release ships to the editions created before it (in a data migration)."""
    for edition in edition_model.objects.filter(code__in=list(EDITIONS)):
        present = set(threshold_model.objects.filter(edition=edition).values_list("key", flat=True))
        wanted = [t for t in EDITIONS[edition.code]["thresholds"] if t[0] in keys and t[0] not in present]
        _create_thresholds(threshold_model, edition, wanted)


def _create_thresholds(threshold_model, edition, thresholds) -> None:  # type: ignore[no-untyped-def]
    for key, value, comparator, unit, source, clause in thresholds:
        threshold_model.objects.create(
            edition=edition,
            key=key,
            value=value,
            comparator=comparator,
            unit=unit,
            source=source,
            clause=clause,
        )
