"""Joint research, the guidance team's visits and new teachers' probation as users meet them: who sees and who
changes an activity or a visit, evidence files checked on upload, the sheet of activities (a re-run changes
nothing), and the visits report on its page and in Excel."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from junheng.core.tabular import run_import
from junheng.organisations.choices import Role, Stage, Tier
from junheng.organisations.models import Cluster, ClusterMembership, District, School
from junheng.sharing.models import FollowUpAction, ResearchActivity, ResearchParticipant, SupervisoryVisit
from junheng.sharing.research_imports import ACTIVITIES

pytestmark = pytest.mark.django_db


class Two:
    """Two clusters of 崇明区: 甲 with schools A (lead) and B, 乙 with school C."""

    def __init__(self) -> None:
        self.district = District.objects.get(code="310151")
        self.a, self.b, self.c = (
            School.objects.create(name=f"研训{n}小学", district=self.district, stage=Stage.PRIMARY)
            for n in "ABC"
        )
        self.first = Cluster.objects.create(
            name="研训甲集团", kind="group", district=self.district, lead_school=self.a
        )
        self.second = Cluster.objects.create(
            name="研训乙集团", kind="group", district=self.district, lead_school=self.c
        )
        for cluster, school in ((self.first, self.a), (self.first, self.b), (self.second, self.c)):
            ClusterMembership.objects.create(
                cluster=cluster, school=school, tier=Tier.QUALITY, start_date=date(2023, 9, 1)
            )

    def activity(self, organiser: School | None, theme: str = "单元教学") -> ResearchActivity:
        return ResearchActivity.objects.create(
            cluster=self.first,
            organiser=organiser,
            kind="joint_research",
            subjects="数学",
            theme=theme,
            date=date(2024, 10, 8),
        )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "kind": "joint_research",
    "subjects": "数学",
    "theme": "新课标研读",
    "date": "2024-10-10",
    "participants": 12,
}


def test_a_school_records_its_own_activities_and_reads_its_cluster_s(make_user: Any) -> None:
    two = Two()
    school_a = client_for(make_user(Role.SCHOOL, two.a, can_edit=True))
    added = school_a.post(
        "/sharing/research-activities/add/", {**FORM, "cluster": two.first.pk, "organiser": two.a.pk}
    )
    assert added.status_code == 302, added.content.decode()
    own = ResearchActivity.objects.get(theme="新课标研读")
    by_b = two.activity(two.b, "B校组织")
    page = school_a.get("/sharing/research-activities/").content.decode()
    assert "新课标研读" in page and "B校组织" in page  # the cluster's activities
    assert school_a.get(f"/sharing/research-activities/{own.pk}/edit/").status_code == 200
    assert (
        school_a.get(f"/sharing/research-activities/{by_b.pk}/edit/").status_code == 403
    )  # seen, not its own
    # Organised by a school of another cluster: refused.
    refused = school_a.post(
        "/sharing/research-activities/add/",
        {**FORM, "theme": "他校", "cluster": two.second.pk, "organiser": two.a.pk},
    )
    assert refused.status_code != 302 and not ResearchActivity.objects.filter(theme="他校").exists()

    school_c = client_for(make_user(Role.SCHOOL, two.c, can_edit=True))
    assert "新课标研读" not in school_c.get("/sharing/research-activities/").content.decode()
    assert school_c.get(f"/sharing/research-activities/{own.pk}/").status_code == 404
    assert school_c.get(f"/api/v1/research-activities/{own.pk}/").status_code == 404


def test_a_cluster_office_edits_its_cluster_s_activities_and_no_other(make_user: Any) -> None:
    two = Two()
    by_b = two.activity(two.b)
    office = client_for(make_user(Role.CLUSTER_OFFICE, two.first, can_edit=True))
    assert office.get(f"/sharing/research-activities/{by_b.pk}/edit/").status_code == 200
    saved = office.post(
        f"/sharing/research-activities/{by_b.pk}/edit/", {**FORM, "cluster": two.first.pk, "organiser": ""}
    )
    assert saved.status_code == 302
    by_b.refresh_from_db()
    assert by_b.organiser is None and by_b.theme == "新课标研读"
    other = client_for(make_user(Role.CLUSTER_OFFICE, two.second, can_edit=True))
    assert other.get(f"/sharing/research-activities/{by_b.pk}/").status_code == 404
    assert other.get(f"/sharing/research-activities/{by_b.pk}/edit/").status_code == 404


def test_evidence_files_are_checked_and_shown_on_the_activity(
    make_user: Any, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.JUNHENG_MAX_UPLOAD_BYTES = 1024
    two = Two()
    activity = two.activity(two.a)
    school_a = client_for(make_user(Role.SCHOOL, two.a, can_edit=True))
    url = "/sharing/research-evidence/add/"
    too_big = SimpleUploadedFile("纪要.pdf", b"%PDF" + b"0" * 2000)
    assert (
        "文件超过"
        in school_a.post(url, {"activity": activity.pk, "title": "纪要", "file": too_big}).content.decode()
    )
    wrong = SimpleUploadedFile("纪要.exe", b"MZ")
    assert (
        "文件扩展“exe”"
        in school_a.post(url, {"activity": activity.pk, "title": "纪要", "file": wrong}).content.decode()
    )
    good = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")
    assert school_a.post(url, {"activity": activity.pk, "title": "纪要", "file": good}).status_code == 302
    page = school_a.get(f"/sharing/research-activities/{activity.pk}/").content.decode()
    assert "纪要" in page and "证明材料" in page


def test_visits_are_read_by_the_visited_school_only_and_reported(make_user: Any) -> None:
    two = Two()
    visit_a = SupervisoryVisit.objects.create(
        cluster=two.first, school=two.a, date=date(2024, 11, 5), findings="课堂提问单一"
    )
    SupervisoryVisit.objects.create(
        cluster=two.first, school=two.b, date=date(2024, 11, 6), findings="作业设计"
    )
    SupervisoryVisit.objects.create(cluster=two.first, school=two.b, date=date(2025, 3, 6), findings="复查")
    FollowUpAction.objects.create(visit=visit_a, action="开设提问设计工作坊", due_date=date(2024, 12, 1))

    school_a = client_for(make_user(Role.SCHOOL, two.a, can_edit=True))
    assert "研训A小学" in school_a.get("/sharing/supervisory-visits/").content.decode()
    assert school_a.get(f"/sharing/supervisory-visits/{visit_a.pk}/").status_code == 200
    visit_b = SupervisoryVisit.objects.get(findings="作业设计")
    assert school_a.get(f"/sharing/supervisory-visits/{visit_b.pk}/").status_code == 404
    assert (
        school_a.get(f"/sharing/supervisory-visits/{visit_a.pk}/edit/").status_code == 403
    )  # the team writes it
    action = FollowUpAction.objects.get()
    done = school_a.post(
        f"/sharing/follow-up-actions/{action.pk}/edit/",
        {
            "visit": visit_a.pk,
            "action": action.action,
            "due_date": "2024-12-01",
            "status": "done",
            "done_on": "2024-11-28",
        },
    )
    assert done.status_code == 302  # the visited school marks its action done

    office = client_for(make_user(Role.CLUSTER_OFFICE, two.first, can_edit=True))
    report = office.get("/sharing/supervisory-visits/report/").content.decode()
    assert "2024-2025 第1学期" in report and "2024-2025 第2学期" in report
    workbook = openpyxl.load_workbook(
        io.BytesIO(office.get("/sharing/supervisory-visits/report/?format=xlsx").content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("学区/集团", "视导学校", "学期", "视导次数")
    assert ("研训甲集团", "研训B小学", "2024-2025 第1学期", 1, 0, 0, 0) in rows
    assert ("研训甲集团", "研训A小学", "2024-2025 第1学期", 1, 1, 0, 0) in rows
    assert len(rows) == 4
    other = client_for(make_user(Role.CLUSTER_OFFICE, two.second, can_edit=True))
    assert "研训A小学" not in other.get("/sharing/supervisory-visits/report/").content.decode()


def sheet(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["学区/集团", "日期", "主题", "类型", "学科", "组织学校", "参与学校", "参与人数"])
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_the_sheet_of_activities_imports_once_for_those_who_may(make_user: Any) -> None:
    two = Two()
    rows = [
        [
            "研训甲集团",
            "2024-10-09",
            "大单元教学",
            "联合教研",
            "数学、英语",
            "研训A小学",
            "研训A小学、研训B小学",
            20,
        ],
        ["研训甲集团", "2024-10-16", "作业设计", "集体备课", "语文", "", "", ""],
    ]
    office = make_user(Role.CLUSTER_OFFICE, two.first, can_edit=True)
    assert run_import(ACTIVITIES, office, "a.xlsx", sheet(rows)) == 2
    activity = ResearchActivity.objects.get(theme="大单元教学")
    assert activity.subjects == "数学、外语" and activity.organiser == two.a and activity.participants == 20
    assert sorted(ResearchParticipant.objects.values_list("school__name", flat=True)) == [
        "研训A小学",
        "研训B小学",
    ]
    history = ResearchActivity.history.count()
    run_import(ACTIVITIES, office, "a.xlsx", sheet(rows))
    assert ResearchActivity.objects.count() == 2 and ResearchParticipant.objects.count() == 2
    assert ResearchActivity.history.count() == history  # the re-run changed nothing

    school_c = make_user(Role.SCHOOL, two.c, can_edit=True)
    from junheng.core.imports import ImportFailed

    with pytest.raises(ImportFailed) as failed:
        run_import(
            ACTIVITIES,
            school_c,
            "b.xlsx",
            sheet([["研训甲集团", "2024-11-01", "外校", "联合教研", "数学", "", "", ""]]),
        )
    assert "研训甲集团" in str(failed.value.errors[0])
    assert not ResearchActivity.objects.filter(theme="外校").exists()
