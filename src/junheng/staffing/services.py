"""Writing teacher flow: a change of employer, and a rotation's steps through its workflow, each audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.core.services import object_save
from junheng.organisations.models import ClusterMembership, School, in_force_on

from .choices import RotationStatus
from .models import Employment, Rotation, Teacher


@transaction.atomic
def employ(*, actor: Any, teacher: Teacher, school: School, since: date) -> Teacher:
    """Makes `school` the teacher's employer from `since`, saving each change audited."""
    for record in employment_changes(teacher, school, since):
        object_save(actor=actor, instance=record)
    return teacher


def employment_changes(teacher: Teacher, school: School, since: date) -> Iterator[Model]:
    """The records that make `school` the teacher's employer from `since`, each to be saved before the next is
    asked for (the teacher, then its employments): a new employer ends the current employment the day before and
    restarts the continuous years; the same employer with another date corrects the start. The import of teachers
    saves them as `employ` does."""
    current = teacher.employments.filter(end_date__isnull=True).first() if teacher.pk else None
    teacher.employer, teacher.employed_since = school, since
    yield teacher
    if current is not None and current.school_id != school.pk:
        current.end_date = since - timedelta(days=1)
        yield current
        current = None
    if current is None:
        current = Employment(teacher=teacher, school=school)
    current.start_date = since
    yield current


# The workflow: each step, the status it needs, and who may take it.
STEPS = {
    RotationStatus.AGREED: (RotationStatus.PROPOSED, "cluster"),
    RotationStatus.FILED: (RotationStatus.AGREED, "district"),
    RotationStatus.IN_PROGRESS: (RotationStatus.FILED, "district"),
}


def clusters_of_both(rotation: Rotation, day: date) -> set[int]:
    """The clusters both the sending and the receiving school belong to on the day."""
    memberships = ClusterMembership.objects.filter(
        in_force_on(day), school__in=(rotation.from_school_id, rotation.host_id)
    )
    schools_by_cluster: dict[int, set[int]] = {}
    for cluster, school in memberships.values_list("cluster", "school"):
        schools_by_cluster.setdefault(cluster, set()).add(school)
    return {c for c, schools in schools_by_cluster.items() if len(schools) == 2}


def may_take(actor: Any, rotation: Rotation, who: str) -> bool:
    """A cluster's agreement is given by the office of a cluster of both schools; filing is the sending school's
    district bureau's. The municipal commission may do either; a district bureau may agree for its clusters."""
    scope = scope_for(actor, Action.CHANGE)
    district = rotation.from_school.district_id
    if scope.everything or district in scope.districts:
        return True
    return who == "cluster" and bool(scope.clusters & clusters_of_both(rotation, rotation.start_date))


def step_refusal(who: str) -> str:
    if who == "cluster":
        return _("Only the office of a cluster both schools belong to, or the district bureau, may agree.")
    if who == "end":
        return _("Only the district bureau of the sending school may end a rotation.")
    return _("Only the district bureau of the sending school may file or start a rotation.")


@transaction.atomic
def advance_rotation(*, actor: Any, rotation: Rotation, to: str) -> Rotation:
    """Moves the rotation one step on. Who may take the step is asked first: a role that never takes it is told
    who does (403), whatever the rotation's status; the one who may is told when the status is not yet right."""
    needed, who = STEPS[RotationStatus(to)]
    if not may_take(actor, rotation, who):
        raise PermissionDenied(step_refusal(who))
    if rotation.status != needed:
        raise ValidationError(
            _("The rotation is %(status)s; it must be %(needed)s first.")
            % {"status": rotation.get_status_display(), "needed": RotationStatus(needed).label}
        )
    rotation.status = to
    return object_save(
        actor=actor, instance=rotation, reason=str(RotationStatus(to).label), check_scope=False
    )


@transaction.atomic
def end_rotation(*, actor: Any, rotation: Rotation, on: date, reason: str = "") -> Rotation:
    """Ends a rotation on a day; before its planned end, with the reason (the database insists)."""
    if not may_take(actor, rotation, "district"):
        raise PermissionDenied(step_refusal("end"))
    if rotation.status not in (RotationStatus.FILED, RotationStatus.IN_PROGRESS):
        raise ValidationError(_("Only a rotation filed with the district or in progress can end."))
    rotation.actual_end, rotation.end_reason, rotation.status = on, reason, RotationStatus.ENDED
    return object_save(actor=actor, instance=rotation, reason=_("Ended"), check_scope=False)


def teacher_save(*, actor: Any, instance: Teacher) -> Teacher:
    """Saves a teacher from its form. A new teacher starts its first employment through `employ`; an existing
    one changes employer only through `employ` (the form keeps the employer as it is)."""
    if instance.pk is None:
        return employ(actor=actor, teacher=instance, school=instance.employer, since=instance.employed_since)
    return object_save(actor=actor, instance=instance)


# What the sending school proposes; once the cluster has agreed, only the work done during the rotation changes.
PROPOSAL_FIELDS = ("teacher_id", "kind", "host_id", "start_date", "planned_end")


@transaction.atomic
def rotation_save(*, actor: Any, instance: Rotation) -> Rotation:
    """Saves a rotation from its form: a new one is proposed from the teacher's employer; after the proposal,
    the terms it was agreed on stay as they are."""
    if instance.pk is None:
        instance.from_school_id = instance.teacher.employer_id
        instance.status = RotationStatus.PROPOSED
        return object_save(actor=actor, instance=instance, reason=str(RotationStatus.PROPOSED.label))
    stored = Rotation.objects.get(pk=instance.pk)
    changed = [f for f in PROPOSAL_FIELDS if getattr(stored, f) != getattr(instance, f)]
    if changed and stored.status != RotationStatus.PROPOSED:
        raise ValidationError(
            _("The rotation is %(status)s: its teacher, kind, receiving school and dates no longer change.")
            % {"status": stored.get_status_display()}
        )
    return object_save(actor=actor, instance=instance)


def next_steps(actor: Any, rotation: Rotation) -> list[tuple[str, str]]:
    """The workflow's steps the actor may take now, as (status to move to, label of the button); "ended" stands
    for ending the rotation, which asks for a date and, when early, a reason."""
    steps = [
        (str(to), str(STEP_LABELS[to]))
        for to, (needed, who) in STEPS.items()
        if rotation.status == needed and may_take(actor, rotation, who)
    ]
    if rotation.status in (RotationStatus.FILED, RotationStatus.IN_PROGRESS) and may_take(
        actor, rotation, "district"
    ):
        steps.append((str(RotationStatus.ENDED), str(STEP_LABELS[RotationStatus.ENDED])))
    return steps


STEP_LABELS = {
    RotationStatus.AGREED: gettext_lazy("Agree"),
    RotationStatus.FILED: gettext_lazy("File with the district"),
    RotationStatus.IN_PROGRESS: gettext_lazy("Start"),
    RotationStatus.ENDED: gettext_lazy("End"),
}
