"""API routes of the compliance engine: findings and runs, read by whoever may see what they are about, started
by whoever may check the district. Mounted by the URL configuration, after every resource's routes exist."""

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from junheng.core.api import ErrorOut, NoNul, Paging
from junheng.core.scope import MAX_ID
from junheng.organisations.models import District

from .engine import compliance_run
from .models import ComplianceRun, Finding, FindingStatus, PolicyEdition


class SubjectOut(Schema):
    type: str
    id: int
    name: str


class FindingOut(Schema):
    """A finding as `junheng compliance --format json` prints it, with its id and run."""

    id: int
    run: int
    rule: str
    status: str
    subject: SubjectOut
    measured: dict[str, Any]
    threshold: dict[str, Any]
    measured_text: list[str]  # the measured values as labelled Chinese lines
    threshold_text: list[str]  # the thresholds as Chinese lines
    clause: str
    message: str

    @staticmethod
    def resolve_run(obj: Finding) -> int:
        return obj.run_id

    @staticmethod
    def resolve_subject(obj: Finding) -> dict[str, Any]:
        return {"type": obj.subject_type, "id": obj.subject_id, "name": obj.subject_name}


class RunOut(Schema):
    id: int
    edition: str
    as_of: date
    district: str | None
    created_at: datetime
    created_by: str | None
    counts: dict[str, int]  # the findings the caller may see, by status

    @staticmethod
    def resolve_edition(obj: ComplianceRun) -> str:
        return obj.edition.code

    @staticmethod
    def resolve_district(obj: ComplianceRun) -> str | None:
        return obj.district.code if obj.district else None

    @staticmethod
    def resolve_created_by(obj: ComplianceRun) -> str | None:
        return obj.created_by.username if obj.created_by else None

    @staticmethod
    def resolve_counts(obj: ComplianceRun) -> dict[str, int]:
        return getattr(obj, "visible_counts", {})


class RunIn(Schema):
    edition: NoNul
    as_of: date
    district: NoNul | None = None


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class FindingFilters(Schema):
    run: Id | None = None
    rule: NoNul | None = None
    status: FindingStatus | None = None
    pairing: Id | None = None
    cluster: Id | None = None
    school: Id | None = None
    district: NoNul | None = None  # a district's own findings, by GB/T 2260 code


router = Router(tags=["compliance"])


@router.get("/findings/", response=list[FindingOut], operation_id="list_findings", summary="合规检查结果")
@paginate(Paging)
def list_findings(request: HttpRequest, filters: Query[FindingFilters]) -> Any:
    findings = Finding.objects.restrict(request.user).order_by("run", "rule", "subject_type", "subject_id")
    wanted = filters.dict(exclude_none=True)
    for name in ("run", "rule", "status"):
        if name in wanted:
            findings = findings.filter(**{name: wanted[name]})
    for subject in ("pairing", "cluster", "school"):
        if subject in wanted:
            findings = findings.filter(subject_type=subject, subject_id=wanted[subject])
    if "district" in wanted:
        findings = findings.filter(subject_type="district", district__code=wanted["district"])
    return findings


def _with_counts(request: HttpRequest, runs: list[ComplianceRun]) -> list[ComplianceRun]:
    counts: dict[int, dict[str, int]] = {run.pk: {} for run in runs}
    visible = Finding.objects.restrict(request.user).filter(run__in=runs)
    for row in visible.values("run", "status").order_by().annotate(n=Count("pk")):
        counts[row["run"]][row["status"]] = row["n"]
    for run in runs:
        run.visible_counts = counts[run.pk]  # type: ignore[attr-defined]  # read by RunOut.resolve_counts
    return runs


def _runs(request: HttpRequest) -> Any:
    return ComplianceRun.objects.restrict(request.user).select_related("edition", "district", "created_by")


@router.get("/runs/", response=list[RunOut], operation_id="list_runs", summary="合规检查")
@paginate(Paging)
def list_runs(request: HttpRequest, edition: NoNul | None = None) -> Any:
    runs = _runs(request)
    return _with_counts(request, list(runs.filter(edition__code=edition) if edition else runs))


@router.get(
    "/runs/{run_id}/", response={200: RunOut, 404: ErrorOut}, operation_id="get_run", summary="合规检查"
)
def get_run(request: HttpRequest, run_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    found = _runs(request).filter(pk=run_id).first()
    if found is None:
        return Status(404, {"detail": "Not found"})
    return Status(200, _with_counts(request, [found])[0])


@router.post(
    "/runs/",
    response={201: RunOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="create_run",
    summary="开始合规检查",
)
def create_run(request: HttpRequest, payload: RunIn) -> Any:
    edition = PolicyEdition.objects.filter(code=payload.edition).first()
    if edition is None:
        return Status(422, {"detail": f"没有代码为 {payload.edition} 的政策版本。"})
    district = None
    if payload.district:
        district = District.objects.filter(code=payload.district).first()
        if district is None:
            return Status(422, {"detail": f"“{payload.district}”不是上海市的区代码。"})
    try:
        run, _findings = compliance_run(
            actor=request.user, edition=edition, as_of=payload.as_of, district=district
        )
    except PermissionDenied as refused:
        return Status(403, {"detail": str(refused)})
    return Status(201, _with_counts(request, [_runs(request).get(pk=run.pk)])[0])
