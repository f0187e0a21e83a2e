"""The permission matrix as one table: for every resource of the registry and every derived view, what each role
may do with one sample record. `tests/test_permissions.py` checks the platform against it; `docs/permissions.md`
is generated from it (`python -m tests.permissions_table > docs/permissions.md`) and a test keeps the two equal.

The sample world: 宝山区 (310113); 月浦中心校, a school of 宝山 supported by 杨浦小学 in pairing 一-1 and, for the
matrix, a member of the first demo cluster of 宝山; that pairing's work records, plan and evaluations; 宝山's
review event, funds, forms and surveys; the results of 月浦中心校, 宝山 and the cluster; a teacher employed at
月浦中心校, its employment and exclusion, its rotation to another school of the cluster with its appraisal, and the
cluster's staffing plan; 月浦中心校's rotation need and a rotation plan of the cluster; a facility of 月浦中心校,
and 月浦中心校's booking of a facility of that other school; 月浦中心校's shared course in the cluster, the
cluster's open enrolment round, and a student of 月浦中心校 with its application and seat in that course; a library
resource of 月浦中心校 by that teacher, shared in the cluster, with a version and a rating; the cluster's culture; an activity 月浦中心校 organises in the cluster, with
a participating school and a photo; the cluster's membership of 月浦中心校, its yearly
counts, the cluster's charter, a work meeting, a membership change and an application for model status.

Each role is held in one organisation that must see the sample and, beside it, one that must not:

| column | role | organisation |
|---|---|---|
| M | municipal commission, administrator | — |
| MR | municipal commission, read only | — |
| D | district bureau, administrator | 宝山区 |
| DR | district bureau, read only | 宝山区 |
| OD | district bureau, editor | 长宁区 (must not see) |
| C | cluster office, editor | the sample's cluster |
| OC | cluster office, editor | a cluster of 长宁区 (must not see) |
| S | school, editor | 月浦中心校 |
| OS | school, editor | another school of 宝山区 in no pairing and not in the cluster (must not see) |
| U | supporting unit, editor | 杨浦小学, which supports the sample pairing |
| OU | supporting unit, editor | 上海名师培训中心, which supports other pairings (must not see) |
| E | expert | assigned to review the sample plan |
| OE | expert | not assigned (must not see) |
| T | teacher | its own record at 月浦中心校 |
| OT | teacher | another teacher's record (must not see) |
| N | an account with no role | — |

Cells: `RW` — lists, opens, exports and reads it in the API, sees its history, and may add such records, change
and delete it; `RE` — the same, except that it adds no such record (its own school or cluster is edited, not
founded: the add page answers 403 and says who may add); `R` — all the reading, none of the writing (its edit and delete pages answer 403); `-` — none of it
(404 wherever it is asked for, absent from lists and exports). For derived views `R` means the view answers 200
and shows the sample, `-` that it answers 404 or leaves the sample out. An anonymous visitor is sent to the login
page everywhere (401 from the API).
"""

from __future__ import annotations

ROLES = ["M", "MR", "D", "DR", "OD", "C", "OC", "S", "OS", "U", "OU", "E", "OE", "T", "OT", "N"]

_PAIRING_WORK = "RW R RW R - - - RW - RW - - - - - -"
_SCHOOL_RECORD = "RW R RW R - R - RW - - - - - - - -"
_DISTRICT_OWNED = "RW R RW R - R - R R - - - - - - -"
_POLICY = "RW R R R R R R R R R R - - - - -"
_TEACHER_RECORD = "RW R RW R - R - RW - - - - - R - -"  # a cluster office reads its members' teachers
_ROTATION = "RW R RW R - RW - RW - - - - - R - -"
_CLUSTER_EVENT = (
    "RW R RW R - RW - RW - - - - - - - -"  # organised by 月浦中心校; its cluster's office edits it too
)
_CLUSTER_RECORD = "RW R RW R - RW - R - - - - - - - -"  # the cluster office's, read by its member schools
_RESEARCH = "RW R RW R - RW - RW - - - - - - - -"  # the cluster office's and the organising school's
_CLUSTER_WORK = "RW R RW R - RW - R - - - - - - - -"

# resource or derived view → the cell of each role, in the order of ROLES.
TABLE: dict[str, str] = {
    # The registry
    "districts": "RW R R R - R - R R - - - - - - -",
    "schools": "RW R RW R - R - RE - - - - - - - -",
    "institutions": "RW R - - - - - - - - RE - - - - -",
    "clusters": "RW R RW R - R - R - - - - - - - -",  # the office reads its cluster, the bureau edits it
    "cluster-memberships": "RW R RW R - R - R - - - - - - - -",
    "school-year-counts": _SCHOOL_RECORD,
    # The cluster's own work: its office records it (月浦中心校's cluster's charter, meeting, change, application)
    "governance-documents": _CLUSTER_WORK,
    "work-meetings": _CLUSTER_WORK,
    "membership-changes": _CLUSTER_WORK,
    "accreditations": _CLUSTER_WORK,
    # The hand-in-hand plan
    "pairings": "RW R RW R - - - R - R - - - - - -",
    "residents": _PAIRING_WORK,
    "interactions": _PAIRING_WORK,
    "baselines": _PAIRING_WORK,
    "plans": "RW R RW R - - - RW - RW - R - - - -",
    "evaluations": _PAIRING_WORK,
    "experts": _PAIRING_WORK,
    "subject-dockings": _PAIRING_WORK,
    "service-records": _PAIRING_WORK,
    "development-records": _PAIRING_WORK,
    "spending": _PAIRING_WORK,
    "cases": _PAIRING_WORK,
    "review-events": _DISTRICT_OWNED,
    "fund-allocations": "RW R R R - R - R R - - - - - - -",
    "transparency-reports": _POLICY,
    # Teacher flow (the sample teacher is employed at 月浦中心校 and rotates to another school of the cluster)
    "teachers": _TEACHER_RECORD,
    "employments": _TEACHER_RECORD,
    "eligibility-exclusions": _TEACHER_RECORD,
    "rotations": _ROTATION,
    "rotation-appraisals": _ROTATION,
    "staffing-plans": "RW R RW R - RW - R - - - - - - - -",
    # Facility sharing (月浦中心校's own facility, and its booking of another member school's facility)
    "facilities": _SCHOOL_RECORD,
    "bookings": _SCHOOL_RECORD,
    # Shared courses and enrolment (月浦中心校's course in the cluster; its student's application and seat in it,
    # in the cluster's open round)
    "shared-courses": _SCHOOL_RECORD,
    "students": _SCHOOL_RECORD,  # the cluster office sees the students who applied in its rounds
    "enrolment-rounds": "RW R RW R - RW - R - - - - - - - -",
    "course-applications": "RW R RW R - RW - RW - - - - - - - -",
    "course-enrolments": "R R R R - R - R - - - - - - - -",  # written only by the lottery and withdrawals
    # The resource library (a resource of 月浦中心校 by the sample teacher, shared in the sample cluster), its
    # versions and ratings (added on the resource's page), and the cluster's culture and student activities
    "library-resources": _TEACHER_RECORD,
    "resource-versions": "R R R R - R - R - - - - - R - -",
    "resource-ratings": "R R R R - R - R - - - - - R - -",
    "cluster-cultures": "RW R RW R - RW - R - - - - - - - -",
    "cluster-events": _CLUSTER_EVENT,
    "event-participants": _CLUSTER_EVENT,
    "event-photos": _CLUSTER_EVENT,
    # Joint research, guidance and probation (the cluster's; 月浦中心校 organised the activity and was visited)
    "research-settings": _CLUSTER_RECORD,
    "research-activities": _RESEARCH,
    "research-participants": _RESEARCH,
    "research-evidence": _RESEARCH,
    "guidance-team": _CLUSTER_RECORD,
    "supervisory-visits": _CLUSTER_RECORD,  # the visited school reads its own visits
    "follow-up-actions": _RESEARCH,  # the visited school records and closes its follow-up actions
    "probations": _CLUSTER_RECORD,
    # Policy
    "rotation-needs": "RW R RW R - RW - RW - - - - - - - -",  # 月浦中心校's need: the school states it
    "editions": _POLICY,
    "thresholds": _POLICY,
    # Evaluation
    "resource-records": _SCHOOL_RECORD,
    "green-indicators": _SCHOOL_RECORD,
    "school-results": "R R R R - R - R - - - - - - - -",
    "district-results": "R R R R - R - R R - - - - - - -",
    "cluster-results": "R R R R - R - R - - - - - - - -",
    "appraisal-forms": _DISTRICT_OWNED,
    "appraisal-items": _DISTRICT_OWNED,
    "principal-appraisals": "RW R RW R - R - R - - - - - - - -",
    "surveys": _DISTRICT_OWNED,
    "survey-questions": _DISTRICT_OWNED,
    # Derived views
    "finding": "R R R R - - - R - R - - - - - -",  # a finding about the sample pairing, in a city-wide run
    "city-run": "RW R R R R R R R R R R - - - - -",  # the run's board; RW: may start a run of the whole city
    "district-run": "RW R RW R - - - R - R - - - - - -",  # 宝山's own run; RW: may start one for 宝山
    "reminders": "R R R R - - - R - R - - - - - -",  # the home page names the sample pairing's due items
    "home-counts": "R R R R - - - - - - - - - - - -",  # the home page's row of 宝山 (a bureau's and the commission's home)
    "cluster-report": "R R R R - R - R - - - - - - - -",  # the cluster's report as Excel
    "rotation-board": "R R R R - R - R - - - - - - - -",  # the cluster's rotation board and its Excel
    "rotation-plan": "RW R RW R - RW - R - - - - - - - -",  # the cluster's plan; RW: may plan the cluster
    "accreditation-dossier": "R R R R - R - R - - - - - - - -",  # the sample application's dossier, page and Word
    "teacher-record": _TEACHER_RECORD,  # the record page and its certificate
    "recycle-bin": "RW - - - - - - - - - - - - - - -",  # deleted records, restorable
    "roles": "RW - RW - - - - - - - - - - - - -",  # granting roles: administrators only
}


def cells(name: str) -> dict[str, str]:
    values = TABLE[name].split()
    assert len(values) == len(ROLES), name
    return dict(zip(ROLES, values, strict=True))


def render_markdown() -> str:
    lines = [
        "# Permissions",
        "",
        "Generated from `tests/permissions_table.py` (`python -m tests.permissions_table > docs/permissions.md`);",
        "`tests/test_permissions.py` checks the platform against every cell, on SQLite and PostgreSQL.",
        "",
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        "| resource or view | " + " | ".join(ROLES) + " |",
        "|---|" + "---|" * len(ROLES),
    ]
    lines += [f"| {name} | " + " | ".join(cells(name).values()) + " |" for name in TABLE]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
