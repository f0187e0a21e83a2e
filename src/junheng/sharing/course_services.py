"""Writes of shared courses' enrolment: applications while a round is open, closing it, the allocation by the
seeded lottery and withdrawals, which move the waiting lists.

The seats of a round are never edited by hand: they are the lottery's result on the round's applications
(`allocate`, the same code `junheng allocate courses` runs on the round's files) followed by the round's
withdrawals in the order they were made (`release_seat`). Every write rebuilds them that way, checks every
guarantee (`check`) and saves all the round's enrolments in one transaction, or nothing.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from junheng.core.choices import Action
from junheng.core.scope import can
from junheng.core.services import object_save

from .allocation import Allocation, Application, Course, allocate, check, release_seat
from .allocation.files import APPLICATION_COLUMNS, COURSE_COLUMNS
from .course_choices import EnrolmentStatus, RoundStatus
from .models import CourseApplication, CourseEnrolment, EnrolmentRound, SharedCourse


def school_code(school: Any) -> str:
    """A school as the allocation's files name it: its code, or its id where it has none."""
    return str(school.code or f"S{school.pk}")


def round_inputs(round_: EnrolmentRound) -> tuple[list[Course], list[Application]]:
    """The round's courses and applications as the allocation takes them, in a fixed order."""
    courses = [
        Course(c.course_code, round_.cluster.name, school_code(c.school), c.capacity, frozenset(c.slots))
        for c in round_.courses().select_related("school").order_by("pk")
    ]
    applications = [
        Application(a.student.student_number, school_code(a.student.school), a.course.course_code, a.rank)
        for a in round_.applications.select_related("student__school", "course").order_by(
            "student__student_number", "rank"
        )
    ]
    return courses, applications


def round_files(round_: EnrolmentRound) -> dict[str, str]:
    """The two CSV files `junheng allocate courses --courses … --applications …` reads, with the round's
    courses and applications: re-run with the round's seed and maximum, they give its published result."""
    courses, applications = round_inputs(round_)
    return {
        "courses": _csv(
            COURSE_COLUMNS,
            ([c.course_id, c.cluster, c.school_code, c.capacity, ";".join(sorted(c.slots))] for c in courses),
        ),
        "applications": _csv(
            APPLICATION_COLUMNS, ([a.student_id, a.school_code, a.course_id, a.rank] for a in applications)
        ),
    }


def _csv(header: tuple[str, ...], rows: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def rerun_command(round_: EnrolmentRound) -> str:
    return (
        f"junheng allocate courses --courses courses.csv --applications applications.csv "
        f"--seed {round_.seed} --max-per-student {round_.max_per_student}"
    )


# Applications ----------------------------------------------------------------------------------------------------


def application_save(*, actor: Any, instance: CourseApplication) -> CourseApplication:
    """An application is entered or changed only while its round is open."""
    refuse_unless_open(instance.round)
    return object_save(actor=actor, instance=instance)


def refuse_unless_open(round_: EnrolmentRound) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError({"round": _("The round is closed: its applications no longer change.")})


# Closing and allocating ------------------------------------------------------------------------------------------


def _locked(actor: Any, round_: EnrolmentRound) -> EnrolmentRound:
    """The round, locked for the transaction, if the actor runs it."""
    if actor is not None and not can(actor, Action.CHANGE, round_):
        raise PermissionDenied(_("Only the cluster office and its district run the cluster's enrolment."))
    locked: EnrolmentRound = (
        EnrolmentRound.objects.select_for_update().select_related("cluster").get(pk=round_.pk)
    )
    return locked


@transaction.atomic
def round_close(*, actor: Any, round_: EnrolmentRound) -> EnrolmentRound:
    locked = _locked(actor, round_)
    refuse_unless_open(locked)
    locked.status = RoundStatus.CLOSED
    return object_save(actor=actor, instance=locked, reason=_("Applications closed"), check_scope=False)


@transaction.atomic
def round_allocate(*, actor: Any, round_: EnrolmentRound) -> Allocation:
    """The lottery on the round's applications; the result is published on the round and every enrolment saved,
    all in one transaction."""
    locked = _locked(actor, round_)
    if locked.status != RoundStatus.CLOSED:
        raise ValidationError(_("Close the applications first; a round is allocated once."))
    courses, applications = round_inputs(locked)
    result = allocate(courses, applications, locked.seed, locked.max_per_student)
    _refuse_broken(result)
    locked.result = result.as_dict()
    locked.status = RoundStatus.ALLOCATED
    locked.allocated_at = timezone.now()
    locked.allocated_by = actor if actor is not None and actor.is_authenticated else None
    object_save(actor=actor, instance=locked, reason=_("Allocated by lottery"), check_scope=False)
    _save_enrolments(actor, locked, result)
    return result


def _refuse_broken(result: Allocation) -> None:
    broken = check(result)
    if broken:  # never: the lottery keeps its guarantees by construction; this proves it on every run
        raise ValidationError(
            _("The allocation breaks a guarantee; nothing was saved: %(what)s")
            % {"what": "; ".join(broken[:5])}
        )


def current_allocation(round_: EnrolmentRound) -> Allocation:
    """Today's seats: the lottery's result and the round's withdrawals replayed in their order."""
    courses, applications = round_inputs(round_)
    result = allocate(courses, applications, round_.seed, round_.max_per_student)
    withdrawn = round_.enrolments.filter(withdrawal__isnull=False).select_related("student", "course")
    for enrolment in withdrawn.order_by("withdrawal"):
        result = release_seat(result, enrolment.course.course_code, enrolment.student.student_number)
    return result


@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: CourseEnrolment) -> Allocation:
    """The student gives its seat up: the first student waiting that it fits takes it (see allocation)."""
    if actor is not None and not can(actor, Action.CHANGE, enrolment):
        raise PermissionDenied(_("The student's school or the cluster office withdraws a student."))
    round_ = _locked(None, enrolment.round)
    enrolment = CourseEnrolment.objects.select_related("student", "course").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only a student holding a seat withdraws from it."))
    before = current_allocation(round_)
    result = release_seat(before, enrolment.course.course_code, enrolment.student.student_number)
    _refuse_broken(result)
    latest = round_.enrolments.aggregate(latest=Max("withdrawal"))["latest"] or 0
    enrolment.withdrawal = latest + 1
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.waiting_place = None
    object_save(actor=actor, instance=enrolment, reason=_("Withdrawn"), check_scope=False)
    _save_enrolments(actor, round_, result)
    return result


def _save_enrolments(actor: Any, round_: EnrolmentRound, result: Allocation) -> None:
    """Each application's enrolment as the result says: a seat, a place on a waiting list, or withdrawn; only
    the rows that change are written (and audited)."""
    students = {a.student.student_number: a.student for a in round_.applications.select_related("student")}
    courses = {c.course_code: c for c in SharedCourse.objects.filter(pk__in=round_.courses().values("pk"))}
    existing = {(e.student_id, e.course_id): e for e in round_.enrolments.all()}
    for course in result.courses:
        seated = result.enrolled(course.course_id)
        waiting = result.waiting(course.course_id)
        wanted: list[tuple[str, EnrolmentStatus, int | None]] = [
            (s, EnrolmentStatus.ENROLLED, None) for s in seated
        ]
        wanted += [(s, EnrolmentStatus.WAITING, place) for place, s in enumerate(waiting, start=1)]
        for number, status, place in wanted:
            student, shared = students[number], courses[course.course_id]
            row = existing.pop((student.pk, shared.pk), None) or CourseEnrolment(
                round=round_, student=student, course=shared
            )
            given = (status, result.lottery[number], place)
            if row.pk and (row.status, row.lottery, row.waiting_place) == given:
                continue
            row.status, row.lottery, row.waiting_place = given
            object_save(actor=actor, instance=row, reason=_("Allocated by lottery"), check_scope=False)
    for row in existing.values():  # what is left was given up (a withdrawal, saved already)
        if row.status != EnrolmentStatus.WITHDRAWN:
            raise ValidationError(_("An enrolment is no longer among the round's applications."))


def round_next_steps(user: Any, round_: EnrolmentRound) -> list[str]:
    """The steps the user may take on the round's page."""
    if not can(user, Action.CHANGE, round_):
        return []
    return {
        RoundStatus.OPEN: ["close"],
        RoundStatus.CLOSED: ["allocate"],
    }.get(RoundStatus(round_.status), [])
