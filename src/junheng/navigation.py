"""The main menu, by role: each entry names the roles whose work it is, so a teacher is not offered the registry
and a principal finds the plan's records. Every entry's page answers each of those roles with its own records
(tests/test_navigation.py follows every link as each role)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from junheng.accounts.roles import is_administrator
from junheng.core.choices import Action
from junheng.core.scope import scope_for
from junheng.organisations.choices import Role
from junheng.organisations.models import Membership

M, D, C, S, U, E, T = (
    Role.MUNICIPAL,
    Role.DISTRICT_BUREAU,
    Role.CLUSTER_OFFICE,
    Role.SCHOOL,
    Role.SUPPORTING_UNIT,
    Role.EXPERT,
    Role.TEACHER,
)
ORGANISATIONS = frozenset({M, D, C, S, U})
REGISTRY_READERS = frozenset({M, D, C, S})  # who reads districts, schools and clusters
PLAN_WORKERS = frozenset({M, D, S, U})  # who records and reads the work of pairings
EVALUATORS = frozenset({M, D, C, S})  # who reads the evaluation of schools and clusters
FLOW_WORKERS = frozenset({M, D, C, S})  # who proposes, agrees, files and reads teachers' rotations
SHARERS = frozenset({M, D, C, S})  # who reads the facilities of clusters, their bookings and their use
COURSE_WORKERS = frozenset({M, D, C, S})  # who offers shared courses, enters applications and runs enrolment


@dataclass(frozen=True)
class Entry:
    title: Any  # lazily translated
    url_name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Menu:
    title: Any
    entries: tuple[Entry, ...]


NAVIGATION: tuple[Menu, ...] = (
    Menu(
        _("Registry"),
        (
            Entry(_("Districts"), "organisations:district_list", REGISTRY_READERS),
            Entry(_("Schools"), "organisations:school_list", REGISTRY_READERS),
            Entry(_("Clusters"), "organisations:cluster_list", REGISTRY_READERS),
            Entry(_("Map"), "organisations:map", REGISTRY_READERS),
            Entry(_("Layout advisor"), "policy:layout", frozenset({M, D})),
            Entry(_("Institutions"), "organisations:institution_list", frozenset({M, U})),
        ),
    ),
    Menu(
        _("Hand-in-hand plan"),
        (
            Entry(_("Pairings"), "programmes:pairing_list", PLAN_WORKERS),
            Entry(_("Resident team"), "programmes:residentassignment_list", PLAN_WORKERS),
            Entry(_("Interactions"), "programmes:interaction_list", PLAN_WORKERS),
            Entry(_("Baseline assessment"), "programmes:baselineassessment_list", PLAN_WORKERS),
            Entry(_("Three-year plan"), "programmes:threeyearplan_list", PLAN_WORKERS),
            Entry(_("Plans to review"), "programmes:threeyearplan_list", frozenset({E})),
            Entry(_("Evaluations"), "programmes:evaluation_list", PLAN_WORKERS),
            Entry(_("Experts and professional teams"), "programmes:expertengagement_list", PLAN_WORKERS),
            Entry(_("Subject docking"), "programmes:subjectdocking_list", PLAN_WORKERS),
            Entry(_("Supporting teachers' service"), "programmes:servicerecord_list", PLAN_WORKERS),
            Entry(_("Teacher development"), "programmes:developmentrecord_list", PLAN_WORKERS),
            Entry(_("Spending"), "programmes:spending_list", PLAN_WORKERS),
            Entry(_("Cases"), "programmes:casestudy_list", PLAN_WORKERS),
            Entry(_("Review events"), "programmes:reviewevent_list", frozenset({M, D, C, S})),
            Entry(_("Fund allocations"), "programmes:fundallocation_list", frozenset({M, D, C, S})),
            Entry(_("Programme statistics"), "programmes:charts", frozenset({M, D})),
        ),
    ),
    Menu(
        _("Teacher flow"),
        (
            Entry(_("Teachers"), "staffing:teacher_list", FLOW_WORKERS),
            Entry(_("Rotations"), "staffing:rotation_list", FLOW_WORKERS),
            Entry(_("Rotation appraisals"), "staffing:rotationappraisal_list", FLOW_WORKERS),
            Entry(_("Employments"), "staffing:employment_list", FLOW_WORKERS),
            Entry(_("Rotation eligibility"), "staffing:eligibility", FLOW_WORKERS),
            Entry(_("Not eligible for rotation"), "staffing:eligibilityexclusion_list", FLOW_WORKERS),
            Entry(_("Staffing plans"), "staffing:staffingplan_list", frozenset({M, D, C})),
            Entry(_("Cluster rotation boards"), "policy:rotation_boards", FLOW_WORKERS),
            Entry(_("Rotation planning"), "policy:rotation_plans", frozenset({M, D, C, S})),
            Entry(_("Rotation needs"), "policy:rotationneed_list", frozenset({M, D, C, S})),
            Entry(
                _("Rotation inside clusters for promotion"), "staffing:leadership_factor", frozenset({M, D})
            ),
            Entry(_("My record"), "staffing:my_record", frozenset({T})),
        ),
    ),
    Menu(
        _("Resource library and activities"),
        (
            Entry(_("Library resources"), "sharing:libraryresource_list", frozenset({M, D, C, S, T})),
            Entry(_("Resource builders"), "sharing:library_credits", frozenset({M, D, C, S})),
            Entry(_("Student activities"), "sharing:clusterevent_list", frozenset({M, D, C, S})),
            Entry(_("Cluster cultures"), "sharing:clusterculture_list", frozenset({M, D, C, S})),
        ),
    ),
    Menu(
        _("Facility sharing"),
        (
            Entry(_("Facilities"), "sharing:facility_list", SHARERS),
            Entry(_("Bookings"), "sharing:booking_list", SHARERS),
            Entry(_("Book every week"), "sharing:booking_weekly", frozenset({D, S})),
            Entry(_("Bookings waiting for my approval"), "sharing:booking_approvals", frozenset({S})),
            Entry(_("Facility calendar"), "sharing:calendar", SHARERS),
            Entry(_("Facility usage"), "sharing:facility_usage", SHARERS),
        ),
    ),
    Menu(
        _("Joint research and guidance"),
        (
            Entry(_("Joint research activities"), "sharing:researchactivity_list", FLOW_WORKERS),
            Entry(
                _("Research settings of clusters"),
                "sharing:clusterresearchsetting_list",
                frozenset({M, D, C}),
            ),
            Entry(_("Guidance team"), "sharing:guidanceteammember_list", FLOW_WORKERS),
            Entry(_("Supervisory visits"), "sharing:supervisoryvisit_list", FLOW_WORKERS),
            Entry(_("Supervisory visits by school"), "sharing:visit_report", FLOW_WORKERS),
            Entry(_("Follow-up actions"), "sharing:followupaction_list", FLOW_WORKERS),
            Entry(_("New teachers' probation"), "sharing:newteacherprobation_list", FLOW_WORKERS),
        ),
    ),
    Menu(
        _("Shared courses"),
        (
            Entry(_("Shared courses"), "sharing:sharedcourse_list", COURSE_WORKERS),
            Entry(_("Enrolment rounds"), "sharing:enrolmentround_list", COURSE_WORKERS),
            Entry(_("Course applications"), "sharing:courseapplication_list", COURSE_WORKERS),
            Entry(_("Course enrolments"), "sharing:courseenrolment_list", COURSE_WORKERS),
            Entry(_("Students of enrolment"), "sharing:student_list", frozenset({M, D, C, S})),
        ),
    ),
    Menu(
        _("Compliance"),
        (
            Entry(_("Compliance runs"), "policy:run_list", ORGANISATIONS),
            Entry(_("Policy editions"), "policy:policyedition_list", ORGANISATIONS),
        ),
    ),
    Menu(
        _("Evaluation and monitoring"),
        (
            Entry(_("Cluster evaluation"), "evaluation:clusters", EVALUATORS),
            Entry(_("Monitoring results"), "evaluation:scoreupload_list", frozenset({M, D})),
            Entry(_("Resource balance"), "evaluation:resources", EVALUATORS),
            Entry(_("School resources"), "evaluation:resourcerecord_list", EVALUATORS),
            Entry(_("Green indicators"), "evaluation:greenindicatorrecord_list", EVALUATORS),
            Entry(_("Principal appraisal"), "evaluation:appraisalform_list", EVALUATORS),
            Entry(_("Satisfaction surveys"), "evaluation:survey_list", EVALUATORS),
        ),
    ),
)


def roles_of(user: Any) -> frozenset[str]:
    """The roles the user holds anywhere; a superuser works as the commission."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return frozenset({M})
    if "_junheng_roles" not in user.__dict__:  # once per request's user object
        user.__dict__["_junheng_roles"] = frozenset(
            Membership.objects.filter(user=user).values_list("role", flat=True)
        )
    held: frozenset[str] = user.__dict__["_junheng_roles"]
    return held


def menus_for(user: Any) -> list[tuple[Any, list[tuple[Any, str]]]]:
    """(title, [(entry title, url)]) of the menus the user's roles use; a menu with no entry for them is left out."""
    held = roles_of(user)
    menus = []
    for menu in NAVIGATION:
        entries = [(entry.title, reverse(entry.url_name)) for entry in menu.entries if entry.roles & held]
        if entries:
            menus.append((menu.title, entries))
    return menus


def administration_for(user: Any) -> list[tuple[Any, str]]:
    """The administrator's entries: roles to grant, and the recycle bin for the commission's editors."""
    entries = []
    if is_administrator(user):
        entries.append((_("Roles and accounts"), reverse("accounts:role_list")))
    if scope_for(user, Action.CHANGE).everything:
        entries.append((_("Recycle bin"), reverse("core:recycle_bin")))
    return entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "administration": []}
    return {
        "navigation": menus_for(user),
        "administration": administration_for(user),
        "is_administrator": scope_for(user, Action.CHANGE).everything,
    }
