"""Demo teacher flow (演示数据) in the demo city's model clusters (S2 二(二)), for school years 2023-2024, 2024-2025
and 2025-2026, the last starting on the demo's day (city.TODAY): rotations from the quality schools into the
weaker schools from 1 September, as exchanges and as teams, the receiving schools' appraisals, weaker schools'
teachers out for development and back with duties, teachers marked not eligible, and the clusters' staffing plans.

How each school and cluster fares is set in turn, so that the small demo and the city both show every case:
a quality school meets its quotas, falls short this year or last year, has a rotation cut short (today or a year
ago) or planned for less than the term, or was restaffed from its lead school in 2021 and has no teacher with the
years yet (city.py leaves one lead school in twelve without teacher records); a weaker school receives a team of 3,
a team of 2, exchanges with a missing or late appraisal, its first inflow today, or nothing. Nothing is dated after
the demo's day except the planned ends of rotations.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from junheng.organisations.choices import ModelStatus, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership
from junheng.staffing.choices import (
    EXAM_SCORED_SUBJECTS,
    SUBJECT_ALIASES,
    Duty,
    Rating,
    ReturnDuty,
    RotationKind,
    RotationStatus,
)
from junheng.staffing.models import (
    EligibilityExclusion,
    Employment,
    Rotation,
    RotationAppraisal,
    StaffingPlan,
    Teacher,
)

from .city import DEMO_MARK, TODAY

YEARS = (2023, 2024, 2025)  # school years by their starting year; the last starts on TODAY
# The S2 edition's numbers, which the demo's quotas are drawn to meet or to miss.
ELIGIBLE_YEARS, ROTATION_SHARE, BACKBONE_SHARE, TERM_YEARS, TEAM = 6, Decimal("0.20"), Decimal("0.30"), 3, 3
RESTAFFED_ON = date(
    2021, 9, 1
)  # a quality school restaffed from its cluster's lead school: none has 6 years yet
JUNIOR_STAGES = (Stage.JUNIOR, Stage.NINE_YEAR)

# How a quality school fares, in turn: quotas met every year; short this year (at risk today); short last year (a
# fail on its last day) with a rotation of 2023 cut short in 2024; a rotation of 2024 ending today, before its term;
# a rotation of this year planned for two years only.
STEADY, SHORT_NOW, SHORT_BEFORE, ENDS_TODAY, PLANNED_SHORT = (
    "steady",
    "short_now",
    "short_before",
    "ends",
    "short",
)
QUALITY_PROFILES = (STEADY, SHORT_NOW, SHORT_BEFORE, ENDS_TODAY, PLANNED_SHORT)
RESTAFFED_EVERY = 3  # of the quality schools that do not lead their cluster, one in three was restaffed
# How a weaker school receives, in turn (its cluster's first weaker school always receives every year): a team of
# three every year; a team of two in 2024 and this year; an exchange a year; the same with the appraisals of
# 2024-2025 missing or late; its first inflow today; nothing.
TEAM_OF_3, TEAM_OF_2, EXCHANGE, UNAPPRAISED, FIRST_TODAY, NOTHING = (
    "team3",
    "team2",
    "ex",
    "late",
    "new",
    "none",
)
WEAKER_PROFILES = (FIRST_TODAY, UNAPPRAISED, TEAM_OF_2, NOTHING, EXCHANGE, TEAM_OF_2, FIRST_TODAY)
# A weaker school's teacher out for development, in turn: back in January and taking a duty; back in January
# without one (a fail today); back in June, not yet with one (at risk); back in January, with a duty only from
# today (late); rated only pass (nothing to judge); none out.
DEV_DUTY, DEV_NONE_OLD, DEV_RECENT, DEV_LATE, DEV_PASS_ONLY, DEV_NOBODY = (
    "duty",
    "none",
    "recent",
    "late",
    "pass",
    "",
)
DEVELOPMENT = (DEV_DUTY, DEV_NONE_OLD, DEV_RECENT, DEV_NOBODY, DEV_LATE, DEV_PASS_ONLY, DEV_DUTY)
# A cluster's staffing plans, in turn: complete and filed every year; none yet this year; last year's without the
# performance pay and this year's not yet filed; none at all.
PLANS = ("filed", "none_now", "partial", "none")
EXCLUSION_REASONS = ("临近退休", "孕产假", "援疆支教", "长期病假")
END_REASONS = ("因病提前结束", "工作需要调回原校", "家庭原因提前结束")


def share_of(share: Decimal, count: int) -> int:
    return int((share * count).to_integral_value(rounding=ROUND_CEILING))


def scored(subject: str) -> bool:
    return SUBJECT_ALIASES.get(subject, subject) in EXAM_SCORED_SUBJECTS


@dataclass
class Staff:
    pk: int
    since: date
    subject: str
    backbone: bool
    busy_until: date = date.min  # the end of the teacher's latest rotation


@dataclass
class Sending:
    """A quality school's year: whom it may send, how many it must, and whom it sent."""

    school: int
    pool: list[Staff]
    required: int
    short: bool
    backbone_short: bool
    sent: list[Staff] = field(default_factory=list)

    @property
    def cap(self) -> int | None:
        return max(self.required - 1, 0) if self.short else None

    def can_send(self) -> bool:
        return bool(self.pool) and (self.cap is None or len(self.sent) < self.cap)

    def pick(self, rng: random.Random, prefer: Callable[[Staff], bool] | None) -> Staff:
        """A teacher who keeps the backbone share met (or, when it is to fall short, no backbone teacher),
        teaching a subject the host prefers where there is one."""
        wanted = [s for s in self.pool if prefer(s)] or self.pool if prefer is not None else self.pool
        if self.backbone_short:
            wanted = [s for s in wanted if not s.backbone] or wanted
        elif sum(s.backbone for s in self.sent) < share_of(BACKBONE_SHARE, len(self.sent) + 1):
            wanted = [s for s in wanted if s.backbone] or wanted
        chosen = rng.choice(wanted)
        self.pool.remove(chosen)
        self.sent.append(chosen)
        return chosen


def next_sender(sending: list[Sending], turn: int) -> Sending | None:
    """In turn, a quality school still short of its quota, else one that may send more."""
    open_ = [s for s in sending if s.can_send()]
    behind = [s for s in open_ if len(s.sent) < s.required] or open_
    return behind[turn % len(behind)] if behind else None


def demo_flow_remove() -> None:
    Rotation.objects.filter(is_demo=True).delete()  # their appraisals go with them
    StaffingPlan.objects.filter(is_demo=True).delete()
    EligibilityExclusion.objects.filter(teacher__is_demo=True).delete()


@transaction.atomic
def demo_flow_build(size: str) -> dict[str, int]:
    """Builds the model clusters' flow; returns what it made. Bulk inserts, a fixed number of queries."""
    rng = random.Random(f"junheng-demo-flow-{size}")
    clusters = list(
        Cluster.objects.filter(is_demo=True, model_status__in=(ModelStatus.CREATING, ModelStatus.ACCREDITED))
        .order_by("district__code", "name")
        .values_list("pk", "lead_school", "name")
    )
    tiers: dict[int, dict[str, list[tuple[int, str, str]]]] = {
        pk: {Tier.QUALITY: [], Tier.WEAKER: []} for pk, *_ in clusters
    }
    for cluster, school, tier, stage, name in (
        ClusterMembership.objects.filter(cluster__in=[c[0] for c in clusters])
        .order_by("school__code")
        .values_list("cluster", "school", "tier", "school__stage", "school__name")
    ):
        tiers[cluster][tier].append((school, stage, name))
    schools = {s[0] for t in tiers.values() for members in t.values() for s in members}
    staff: dict[int, list[Staff]] = {}
    for pk, school, since, subject, tier in (
        Teacher.objects.filter(employer__in=schools, is_demo=True)
        .order_by("staff_number")
        .values_list("pk", "employer", "employed_since", "subject", "backbone_tier")
    ):
        staff.setdefault(school, []).append(Staff(pk, since, subject, bool(tier)))

    made = Made()
    quality_number = weaker_number = other_quality = developing = 0
    for number, (cluster, lead, _name) in enumerate(clusters):
        quality = [s for s, _stage, _n in tiers[cluster][Tier.QUALITY] if staff.get(s)]
        quality.sort(key=lambda s: s != lead)  # the lead school first
        profiles = {}
        for school in quality:
            if school != lead:
                other_quality += 1
                if other_quality % RESTAFFED_EVERY == 2:
                    made.restaff(staff[school], school, lead)
                    continue
            profiles[school] = QUALITY_PROFILES[quality_number % len(QUALITY_PROFILES)]
            quality_number += 1
        weaker = tiers[cluster][Tier.WEAKER]
        receiving = {}
        for position, (school, _stage, _name) in enumerate(weaker):
            if position == 0:
                receiving[school] = (TEAM_OF_3, EXCHANGE)[number % 2]
            else:
                receiving[school] = WEAKER_PROFILES[weaker_number % len(WEAKER_PROFILES)]
                weaker_number += 1
            made.development(
                rng, staff.get(school, []), school, lead, DEVELOPMENT[developing % len(DEVELOPMENT)]
            )
            developing += 1
        if profiles:
            made.inflow(rng, staff, profiles, weaker, receiving)
        made.plans(rng, cluster, PLANS[number % len(PLANS)])
    return made.save()


class Made:
    """The rows the build makes, saved together at the end."""

    def __init__(self) -> None:
        self.rotations: list[Rotation] = []
        self.appraisals: list[tuple[Rotation, int, str, date]] = []
        self.exclusions: list[EligibilityExclusion] = []
        self.staffing_plans: list[StaffingPlan] = []
        self.ended: list[Employment] = []
        self.started: list[Employment] = []
        self.restaffed: list[Teacher] = []
        self.first_juniors = 0  # weaker junior-secondary schools whose first inflow is today, so far

    def restaff(self, teachers: list[Staff], school: int, lead: int) -> None:
        """The school was restaffed from its lead school on RESTAFFED_ON: the employment of each teacher there from
        before ends the day before at the lead school, and a new one begins (the continuous years restart)."""
        for teacher in teachers:
            if teacher.since < RESTAFFED_ON:
                self.ended.append(Employment(teacher_id=teacher.pk, school_id=lead, start_date=teacher.since))
                self.started.append(
                    Employment(teacher_id=teacher.pk, school_id=school, start_date=RESTAFFED_ON)
                )
                self.restaffed.append(Teacher(pk=teacher.pk, employed_since=RESTAFFED_ON))
                teacher.since = RESTAFFED_ON

    def inflow(
        self,
        rng: random.Random,
        staff: dict[int, list[Staff]],
        profiles: dict[int, str],
        weaker: list[tuple[int, str, str]],
        receiving: dict[int, str],
    ) -> None:
        # Unscored subjects only into one weaker junior-secondary school in two whose first inflow is today.
        unscored = set()
        for school, stage, _name in weaker:
            if stage in JUNIOR_STAGES and receiving[school] == FIRST_TODAY:
                self.first_juniors += 1
                if self.first_juniors % 2:
                    unscored.add(school)
        for year in YEARS:
            start = date(year, 9, 1)
            sending = []
            for school, profile in profiles.items():
                eligible_by = start.replace(year=year - ELIGIBLE_YEARS)
                eligible = [s for s in staff[school] if s.since <= eligible_by]
                if eligible and rng.random() < 0.4:
                    excluded = rng.choice(eligible)
                    eligible.remove(excluded)
                    self.exclusions.append(
                        EligibilityExclusion(
                            teacher_id=excluded.pk, school_year=year, reason=rng.choice(EXCLUSION_REASONS)
                        )
                    )
                    excluded.busy_until = max(excluded.busy_until, date(year + 1, 8, 31))
                short = (profile, year) in ((SHORT_NOW, 2025), (SHORT_BEFORE, 2024))
                sending.append(
                    Sending(
                        school,
                        [s for s in eligible if s.busy_until < start],
                        share_of(ROTATION_SHARE, len(eligible)),
                        short,
                        backbone_short=short,
                    )
                )
            slots: list[tuple[int, RotationKind, str]] = []  # host, kind, team
            for school, _stage, name in weaker:
                profile = receiving[school]
                if profile in (TEAM_OF_3, TEAM_OF_2):
                    size = 2 if profile == TEAM_OF_2 and year >= 2024 else TEAM
                    slots += [(school, RotationKind.TEAM_INFLOW, f"{name}{year}学年组团")] * size
                elif profile == FIRST_TODAY and year == 2025:
                    slots += [(school, RotationKind.EXCHANGE, "")] * 2
                elif profile in (EXCHANGE, UNAPPRAISED):
                    slots.append((school, RotationKind.EXCHANGE, ""))
            extra_hosts = [s for s, _st, _n in weaker if receiving[s] in (TEAM_OF_3, EXCHANGE, UNAPPRAISED)]
            placed: list[tuple[Sending, Staff, int, RotationKind, str]] = []
            for turn, (host, kind, team) in enumerate(slots):
                source = next_sender(sending, turn)
                if source is None:
                    break
                prefer = (lambda s: not scored(s.subject)) if host in unscored else None
                placed.append((source, source.pick(rng, prefer), host, kind, team))
            for source in sending:  # the rest of a quota, as exchanges
                while extra_hosts and len(source.sent) < source.required and source.can_send():
                    host = extra_hosts[len(source.sent) % len(extra_hosts)]
                    placed.append((source, source.pick(rng, None), host, RotationKind.EXCHANGE, ""))
            for index, (source, teacher, host, kind, team) in enumerate(placed):
                self.rotation(
                    rng,
                    profiles[source.school],
                    teacher,
                    source.school,
                    host,
                    kind,
                    team,
                    year,
                    index,
                    receiving[host],
                )

    def rotation(
        self,
        rng: random.Random,
        profile: str,
        teacher: Staff,
        school: int,
        host: int,
        kind: RotationKind,
        team: str,
        year: int,
        index: int,
        receiving: str,
    ) -> None:
        start = date(year, 9, 1)
        years = 2 if profile == PLANNED_SHORT and year == 2025 and index == 0 else TERM_YEARS
        planned_end = date(year + years, 8, 31)
        actual_end, reason = None, ""
        if index == 0 and (profile, year) in ((SHORT_BEFORE, 2023), (ENDS_TODAY, 2024)):
            actual_end = date(2024, 7, 10) if year == 2023 else TODAY
            reason = rng.choice(END_REASONS)
        teacher.busy_until = actual_end or planned_end
        rotation = Rotation(
            teacher_id=teacher.pk,
            kind=kind,
            from_school_id=school,
            host_id=host,
            start_date=start,
            planned_end=planned_end,
            actual_end=actual_end,
            end_reason=reason,
            duties=[Duty.CLASS_TEACHING, Duty.RESEARCH_LEAD, Duty.PROJECT] if team else [Duty.CLASS_TEACHING],
            subjects=teacher.subject,
            team=team,
            status=RotationStatus.ENDED
            if actual_end is not None
            else RotationStatus.FILED
            if year == 2025 and index % 4 == 3
            else RotationStatus.IN_PROGRESS,
            is_demo=True,
        )
        self.rotations.append(rotation)
        for appraised in range(year, 2025):  # each school year it ran in, appraised in June
            if date(appraised, 9, 1) > rotation.end:
                break
            on = date(appraised + 1, 6, rng.randint(10, 28))
            if receiving == UNAPPRAISED and appraised == 2024:
                if index % 2 == 0:
                    continue  # not appraised
                on = TODAY  # late
            rating = rng.choices(list(Rating), weights=(30, 50, 17, 3))[0]
            self.appraisals.append((rotation, appraised, rating, on))

    def development(
        self, rng: random.Random, teachers: list[Staff], school: int, host: int, profile: str
    ) -> None:
        """A weaker school's teacher out for a semester of 2024-2025 at the lead school, appraised there."""
        if not profile:
            return
        teacher = next(
            (t for t in teachers if t.since <= date(2024, 2, 1) and t.busy_until < date(2024, 2, 1)), None
        )
        if teacher is None:
            return
        rotation = Rotation(
            teacher_id=teacher.pk,
            kind=rng.choice([RotationKind.SECONDMENT, RotationKind.SHADOWING, RotationKind.MENTORING]),
            from_school_id=school,
            host_id=host,
            start_date=date(2025, 2, 17) if profile == DEV_RECENT else date(2024, 9, 1),
            planned_end=date(2025, 6, 30) if profile == DEV_RECENT else date(2025, 1, 20),
            duties=[Duty.GUIDANCE],
            subjects=teacher.subject,
            status=RotationStatus.ENDED,
            return_duty=rng.choice(list(ReturnDuty)) if profile in (DEV_DUTY, DEV_LATE) else "",
            return_duty_from=TODAY
            if profile == DEV_LATE
            else date(2025, 2, 17)
            if profile == DEV_DUTY
            else None,
            is_demo=True,
        )
        teacher.busy_until = rotation.planned_end
        self.rotations.append(rotation)
        rating = Rating.PASS if profile == DEV_PASS_ONLY else rng.choice([Rating.EXCELLENT, Rating.GOOD])
        self.appraisals.append((rotation, 2024, rating, rotation.planned_end - timedelta(days=5)))

    def plans(self, rng: random.Random, cluster: int, profile: str) -> None:
        for year in YEARS:
            if profile == "none" or (profile == "none_now" and year == 2025):
                continue
            complete = not (profile == "partial" and year == 2024)
            filed = None if profile == "partial" and year == 2025 else date(year, 7, rng.randint(1, 25))
            self.staffing_plans.append(
                StaffingPlan(
                    cluster_id=cluster,
                    school_year=year,
                    covers_recruitment=True,
                    covers_flow=True,
                    covers_titles=True,
                    covers_performance_pay=complete,
                    filed_on=filed,
                    is_demo=True,
                )
            )

    def save(self) -> dict[str, int]:
        if self.restaffed:
            ended = {e.teacher_id: e for e in self.ended}
            employments = list(Employment.objects.filter(teacher__in=list(ended)))
            for employment in employments:
                employment.school_id = ended[employment.teacher_id].school_id
                employment.end_date = RESTAFFED_ON - timedelta(days=1)
            bulk_update_with_history(
                employments,
                Employment,
                ["school", "end_date"],
                batch_size=2000,
                default_change_reason=DEMO_MARK,
            )
            bulk_create_with_history(
                self.started, Employment, batch_size=2000, default_change_reason=DEMO_MARK
            )
            bulk_update_with_history(
                self.restaffed, Teacher, ["employed_since"], batch_size=2000, default_change_reason=DEMO_MARK
            )
        bulk_create_with_history(
            self.exclusions, EligibilityExclusion, batch_size=5000, default_change_reason=DEMO_MARK
        )
        rotations = bulk_create_with_history(
            self.rotations, Rotation, batch_size=2000, default_change_reason=DEMO_MARK
        )
        appraisals = [
            RotationAppraisal(rotation=r, school_year=year, rating=rating, appraised_on=on)
            for r, year, rating, on in self.appraisals
        ]
        bulk_create_with_history(
            appraisals, RotationAppraisal, batch_size=5000, default_change_reason=DEMO_MARK
        )
        bulk_create_with_history(
            self.staffing_plans, StaffingPlan, batch_size=1000, default_change_reason=DEMO_MARK
        )
        return {
            "rotations": len(rotations),
            "appraisals": len(appraisals),
            "exclusions": len(self.exclusions),
            "staffing_plans": len(self.staffing_plans),
        }
