"""A teacher's own record (R-C9, R-C10): employer and employment history, rotations with their duties and
appraisals, months of rotation inside clusters; and the certificate of rotation service that goes into title and
promotion dossiers, as a PDF (WeasyPrint) or a Word document (python-docx), both from the same rows."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from junheng.core.editions import threshold_number

from .choices import duty_names
from .models import Employment, Rotation, RotationAppraisal, Teacher
from .selectors import Service, months_inside_clusters, service_of

LEADERSHIP_KEY = "R-C10.cluster_rotation_years"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class RecordSection:
    """A table another app adds to a teacher's record (the resource library's credits), through RECORD_SECTIONS:
    staffing lies below those apps and imports none of them, so they register here what the record shows."""

    title: Any  # a (lazily translated) heading
    header: list[str]
    rows: list[list[Any]]
    url: str = ""  # the full report


# (user, teacher) -> the sections the user may see; appended to by the apps above staffing.
RECORD_SECTIONS: list[Callable[[Any, Teacher], list[RecordSection]]] = []


def record_sections(user: Any, teacher: Teacher) -> list[RecordSection]:
    return [section for add in RECORD_SECTIONS for section in add(user, teacher)]


def leadership_months(day: date) -> int:
    """The months of rotation inside a cluster that count for promotion to school leader (R-C10), from the
    edition in force."""
    return round(threshold_number(day, LEADERSHIP_KEY) * 12)


@dataclass
class TeacherRecord:
    teacher: Teacher
    as_of: date
    employments: list[Employment]
    services: list[Service]
    appraisals: dict[int, list[RotationAppraisal]]  # by rotation
    months_inside: int
    months_needed: int

    @property
    def meets_leadership_factor(self) -> bool:
        return self.months_inside >= self.months_needed

    def service_rows(self) -> list[list[str]]:
        """The rotations as the certificate lists them."""
        rows = []
        for service in self.services:
            rotation = service.rotation
            ratings = "、".join(
                f"{a.school_year}学年{a.get_rating_display()}" for a in self.appraisals.get(rotation.pk, [])
            )
            rows.append(
                [
                    rotation.get_kind_display(),
                    rotation.from_school.name,
                    rotation.host.name,
                    f"{rotation.start_date:%Y-%m-%d} — {rotation.end:%Y-%m-%d}",
                    duty_names(rotation.duties) or "—",
                    _("Yes") if service.inside_cluster else _("No"),
                    str(service.months),
                    ratings or "—",
                    rotation.get_status_display(),
                ]
            )
        return rows


def certificate_header() -> list[str]:
    return [
        _("kind"),
        _("sending school"),
        _("receiving school"),
        _("period"),
        _("duties"),
        _("inside the cluster"),
        _("months served"),
        _("appraisals"),
        _("status"),
    ]


def teacher_record(user: Any, teacher: Teacher, day: date) -> TeacherRecord:
    """The teacher's record as the user may see it (the teacher itself sees all of it)."""
    rotations = (
        Rotation.objects.restrict(user)
        .filter(teacher=teacher)
        .select_related("from_school", "host")
        .order_by("start_date")
    )
    services = service_of(rotations, day)
    appraisals: dict[int, list[RotationAppraisal]] = {}
    for appraisal in RotationAppraisal.objects.restrict(user).filter(rotation__teacher=teacher):
        appraisals.setdefault(appraisal.rotation_id, []).append(appraisal)
    employments = list(
        Employment.objects.restrict(user)
        .filter(teacher=teacher)
        .select_related("school")
        .order_by("start_date")
    )
    return TeacherRecord(
        teacher=teacher,
        as_of=day,
        employments=employments,
        services=services,
        appraisals=appraisals,
        months_inside=months_inside_clusters(services),
        months_needed=leadership_months(day),
    )


def certificate_lines(record: TeacherRecord) -> dict[str, Any]:
    """The certificate's words, shared by the PDF and the Word document."""
    teacher = record.teacher
    return {
        "title": _("Certificate of rotation service"),
        "opening": _(
            "This certifies that %(name)s (staff number %(number)s), employed at %(employer)s since %(since)s, "
            "served in the rotations below."
        )
        % {
            "name": teacher.name,
            "number": teacher.staff_number,
            "employer": teacher.employer.name,
            "since": f"{teacher.employed_since:%Y-%m-%d}",
        },
        "header": certificate_header(),
        "rows": record.service_rows(),
        "total": _("Months of rotation inside clusters up to %(day)s: %(months)d.")
        % {"day": f"{record.as_of:%Y-%m-%d}", "months": record.months_inside},
        "purpose": _(
            "Issued from the rotation records of the platform, for title, promotion, pay and award dossiers."
        ),
        "issued": _("Issued on %(day)s") % {"day": f"{record.as_of:%Y-%m-%d}"},
    }


def certificate_pdf(record: TeacherRecord) -> bytes:
    from weasyprint import HTML

    html = render_to_string("staffing/certificate.html", certificate_lines(record))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def certificate_docx(record: TeacherRecord) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    lines = certificate_lines(record)
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Noto Sans CJK SC", Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")  # Word reads Chinese from this slot
    document.add_heading(lines["title"], level=0)
    document.add_paragraph(lines["opening"])
    grid = document.add_table(rows=1, cols=len(lines["header"]), style="Table Grid")
    for cell, value in zip(grid.rows[0].cells, lines["header"], strict=True):
        cell.text = value
    for values in lines["rows"]:
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = value
    for key in ("total", "purpose", "issued"):
        document.add_paragraph(lines[key])
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


CERTIFICATES = {"pdf": certificate_pdf, "docx": certificate_docx}
