"""The resource library (R-D2, R-D4) and the cluster's culture and student activities (R-D9), as a school, a
cluster mate and a school outside the cluster use them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from junheng.organisations.choices import Role
from junheng.organisations.models import Cluster, School
from junheng.sharing.library_services import DOWNLOADS, VIEWS, usage_record
from junheng.sharing.models import (
    ClusterEvent,
    LibraryResource,
    ResourceRating,
    ResourceUsage,
    ResourceVersion,
)
from junheng.staffing.models import Teacher

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a lesson plan"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def media(tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def the_cluster() -> Cluster:
    return Cluster.objects.filter(district__code="310113", is_demo=True).order_by("name").first()


def members() -> list[School]:
    return [m.school for m in the_cluster().memberships.select_related("school").order_by("school__code")]


def outsider() -> School:
    """A school of the same district in none of the cluster's memberships (nor any other of its clusters)."""
    inside = {s.pk for s in members()}
    return School.objects.filter(district__code="310113", is_demo=True).exclude(pk__in=inside).first()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_resource(client: Client, school: School, **extra: Any) -> Any:
    author = Teacher.objects.filter(employer=school).order_by("pk").first()
    form = {
        "title": "分数的意义（教案）",
        "kind": "lesson_plan",
        "subject": "数学",
        "stage": "primary",
        "school": school.pk,
        "author": author.pk,
        "cluster": the_cluster().pk,
        "description": "第一课时",
        **extra,
    }
    return client.post("/sharing/library-resources/add/", form)


def test_a_school_shares_a_file_its_cluster_mates_download_and_an_outsider_cannot(
    make_user: Any, media: Any
) -> None:
    owner, mate = members()[0], members()[1]
    school = client_for(make_user(Role.SCHOOL, owner, can_edit=True))
    saved = add_resource(school, owner, file=SimpleUploadedFile("教案.pdf", PDF))
    assert saved.status_code == 302, saved.content.decode()[:500]
    resource = LibraryResource.objects.get(title="分数的意义（教案）")
    version = resource.versions.get()
    assert version.number == 1 and version.file.name.endswith(".pdf")

    reader = client_for(make_user(Role.SCHOOL, mate))
    page = reader.get(resource.get_absolute_url()).content.decode()
    assert "下载第 1 版" in page
    download = reader.get(f"/sharing/resource-versions/{version.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    usage = ResourceUsage.objects.get(resource=resource, school=mate)
    assert (usage.views, usage.downloads) == (1, 1)

    stranger = client_for(make_user(Role.SCHOOL, outsider(), can_edit=True))
    assert stranger.get(resource.get_absolute_url()).status_code == 404
    assert stranger.get(f"/sharing/resource-versions/{version.pk}/download/").status_code == 404
    assert stranger.get(f"/sharing/resource-versions/{version.pk}/file/file/").status_code == 404
    api = stranger.get(f"/api/v1/resource-versions/{version.pk}/download/")
    assert api.status_code == 404
    assert not ResourceUsage.objects.filter(resource=resource, school=outsider()).exists()


def test_an_upload_of_the_wrong_type_or_size_or_without_file_or_link_is_refused(
    make_user: Any, media: Any, settings: Any
) -> None:
    settings.JUNHENG_MAX_UPLOAD_BYTES = 1024
    owner = members()[0]
    school = client_for(make_user(Role.SCHOOL, owner, can_edit=True))
    html = add_resource(school, owner, file=SimpleUploadedFile("课件.pdf", b"<html>not a pdf</html>"))
    assert "文件内容与扩展名 .pdf 不符" in html.content.decode()
    big = add_resource(school, owner, file=SimpleUploadedFile("课件.pdf", PDF + b"0" * 2000))
    assert "文件超过" in big.content.decode()
    exe = add_resource(school, owner, file=SimpleUploadedFile("课件.exe", b"MZ"))
    assert "exe" in exe.content.decode()
    neither = add_resource(school, owner)
    assert "请上传文件或填写链接" in neither.content.decode()
    assert not LibraryResource.objects.filter(title="分数的意义（教案）").exists()


def test_feedback_is_answered_by_a_new_version_and_every_version_stays(make_user: Any, media: Any) -> None:
    owner, mate = members()[0], members()[1]
    editor = make_user(Role.SCHOOL, owner, can_edit=True)
    school = client_for(editor)
    add_resource(school, owner, link="https://example.org/v1")
    resource = LibraryResource.objects.get(title="分数的意义（教案）")

    reader_user = make_user(Role.SCHOOL, mate)
    reader = client_for(reader_user)
    reader.post(f"/sharing/library-resources/{resource.pk}/rate/", {"stars": 2, "comment": "例题太少"})
    reader.post(f"/sharing/library-resources/{resource.pk}/rate/", {"stars": 3, "comment": "例题太少"})
    rating = ResourceRating.objects.get(resource=resource)  # one per user, changed
    assert rating.stars == 3 and rating.user == reader_user
    assert "1 条反馈尚未回应" in reader.get(resource.get_absolute_url()).content.decode()

    assert reader.get(f"/sharing/library-resources/{resource.pk}/improve/").status_code == 403
    improved = school.post(
        f"/sharing/library-resources/{resource.pk}/improve/",
        {"file": SimpleUploadedFile("教案v2.pdf", PDF), "note": "增加三道例题", "answers": [rating.pk]},
    )
    assert improved.status_code == 302
    assert [v.number for v in resource.versions.order_by("number")] == [1, 2]
    rating.refresh_from_db()
    assert rating.answered_in.number == 2
    page = reader.get(resource.get_absolute_url()).content.decode()
    assert "第 2 版" in page and "增加三道例题" in page and "例题太少" in page and "尚未回应" not in page
    first = resource.versions.get(number=1)
    assert (
        reader.get(f"/sharing/resource-versions/{first.pk}/download/")["Location"] == "https://example.org/v1"
    )


def test_usage_is_one_row_per_school_and_month_counted_in_the_database(make_user: Any) -> None:
    owner, mate = members()[0], members()[1]
    resource = LibraryResource.objects.create(
        title="习题集", kind="exercises", subject="语文", stage="primary", school=owner, cluster=the_cluster()
    )
    reader = make_user(Role.SCHOOL, mate)
    district = make_user(Role.DISTRICT_BUREAU, owner.district)
    for _ in range(3):
        assert usage_record(user=reader, resource=resource, what=VIEWS, day=date(2025, 3, 9))
    usage_record(user=reader, resource=resource, what=DOWNLOADS, day=date(2025, 3, 20))
    usage_record(user=reader, resource=resource, what=VIEWS, day=date(2025, 4, 1))
    usage_record(user=district, resource=resource, what=VIEWS, day=date(2025, 3, 9))
    assert not usage_record(user=make_user(Role.SCHOOL, outsider()), resource=resource, what=VIEWS)
    rows = {
        (u.school_id, u.month, u.views, u.downloads) for u in ResourceUsage.objects.filter(resource=resource)
    }
    assert rows == {
        (mate.pk, date(2025, 3, 1), 3, 1),
        (mate.pk, date(2025, 4, 1), 1, 0),
        (None, date(2025, 3, 1), 1, 0),
    }


def test_builders_are_credited_by_use_on_a_page_in_excel_and_on_their_record(
    make_user: Any, media: Any
) -> None:
    owner, mate = members()[0], members()[1]
    author = Teacher.objects.filter(employer=owner).order_by("pk").first()
    resource = LibraryResource.objects.create(
        title="古诗微课",
        kind="micro_lesson",
        subject="语文",
        stage="primary",
        school=owner,
        author=author,
        cluster=the_cluster(),
    )
    ResourceVersion.objects.create(resource=resource, number=1, link="https://example.org/a")
    ResourceVersion.objects.create(resource=resource, number=2, link="https://example.org/b")
    reader = make_user(Role.SCHOOL, mate)
    usage_record(user=reader, resource=resource, what=VIEWS)
    usage_record(user=reader, resource=resource, what=DOWNLOADS)
    ResourceRating.objects.create(resource=resource, user=reader, stars=4)

    district = client_for(make_user(Role.DISTRICT_BUREAU, owner.district))
    page = district.get("/sharing/library-credits/", {"cluster": the_cluster().pk}).content.decode()
    assert author.name in page and "4.0" in page
    sheet = openpyxl.load_workbook(
        io.BytesIO(district.get("/sharing/library-credits/", {"export": "xlsx"}).content)
    ).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["教师", "学校", "建设资源数"]
    assert [author.name, owner.name, 1, 2, 1, 1, "4.0"] in rows

    record = district.get(f"/staffing/teachers/{author.pk}/record/").content.decode()
    assert "参与建设的共享资源" in record and "古诗微课" not in record and owner.name in record
    stranger = client_for(make_user(Role.SCHOOL, outsider()))
    assert author.name not in stranger.get("/sharing/library-credits/").content.decode()


def test_the_cluster_page_shows_its_culture_and_activities_with_their_photos(
    make_user: Any, media: Any
) -> None:
    cluster = the_cluster()
    owner, mate = members()[0], members()[1]
    office = client_for(make_user(Role.CLUSTER_OFFICE, cluster, can_edit=True))
    saved = office.post(
        "/sharing/cluster-cultures/add/",
        {
            "cluster": cluster.pk,
            "motto": "和而不同，美美与共",
            "description": "共同体文化",
            "logo": SimpleUploadedFile("logo.png", PNG),
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:400]
    school = client_for(make_user(Role.SCHOOL, owner, can_edit=True))
    event = school.post(
        "/sharing/cluster-events/add/",
        {
            "cluster": cluster.pk,
            "school": owner.pk,
            "kind": "showcase",
            "title": "集团艺术节",
            "date": "2025-05-20",
        },
    )
    assert event.status_code == 302, event.content.decode()[:400]
    activity = ClusterEvent.objects.get(title="集团艺术节")
    assert (
        school.post(
            "/sharing/event-participants/add/", {"event": activity.pk, "school": mate.pk, "students": 40}
        ).status_code
        == 302
    )
    not_an_image = school.post(
        "/sharing/event-photos/add/", {"event": activity.pk, "image": SimpleUploadedFile("a.png", b"GIF89a")}
    )
    assert "文件内容与扩展名 .png 不符" in not_an_image.content.decode()
    assert (
        school.post(
            "/sharing/event-photos/add/",
            {"event": activity.pk, "image": SimpleUploadedFile("a.png", PNG), "caption": "合唱"},
        ).status_code
        == 302
    )

    reader = client_for(make_user(Role.SCHOOL, mate))
    page = reader.get(cluster.get_absolute_url()).content.decode()
    assert "和而不同，美美与共" in page and "集团艺术节" in page and "/logo/" in page
    photo = activity.photos.get()
    assert reader.get(f"/sharing/event-photos/{photo.pk}/file/image/").status_code == 200
    stranger = client_for(make_user(Role.SCHOOL, outsider(), can_edit=True))
    assert stranger.get(activity.get_absolute_url()).status_code == 404
    assert stranger.get(f"/sharing/event-photos/{photo.pk}/file/image/").status_code == 404
    assert (
        reader.get(f"{activity.get_absolute_url()}edit/").status_code == 403
    )  # a mate reads, the organiser edits


def test_the_demo_library_is_deterministic_and_its_files_pass_the_upload_checks(media: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from junheng.core.imports import file_size_within_limit
    from junheng.demo.library import demo_library_build, demo_library_remove, demo_pdf, demo_png

    made = demo_library_build("small")
    titles = list(LibraryResource.objects.filter(is_demo=True).order_by("pk").values_list("title", "school"))
    assert made["library_resources"] == len(titles) > 0 and made["events"] > 0
    demo_library_remove()
    assert not LibraryResource.objects.filter(is_demo=True).exists()
    demo_library_build("small")
    assert (
        list(LibraryResource.objects.filter(is_demo=True).order_by("pk").values_list("title", "school"))
        == titles
    )
    file_size_within_limit(Upload("a.pdf", demo_pdf("x")))  # raises if refused
    file_size_within_limit(Upload("a.png", demo_png((1, 2, 3))))
    stored = ResourceVersion.objects.filter(resource__is_demo=True).exclude(file="").first()
    assert stored.file.read().startswith(b"%PDF-")
