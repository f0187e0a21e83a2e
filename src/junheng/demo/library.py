"""Demo resource library and cluster culture (演示数据): in every demo cluster, resources built by teachers of its
member schools (some improved once, answering a comment), their views and downloads by the member schools over the
last months, the cluster's motto and logo, and a student showcase with its participating schools and a photo.

The files are tiny and made here (a one-page PDF, a one-colour PNG), so that every download and image works
without shipping any; the same size always gives the same library.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from junheng.organisations.models import Cluster, ClusterMembership
from junheng.sharing.library_services import month_of
from junheng.sharing.models import (
    ClusterCulture,
    ClusterEvent,
    EventParticipant,
    EventPhoto,
    LibraryResource,
    ResourceUsage,
    ResourceVersion,
)
from junheng.staffing.models import Teacher

from .city import DEMO_MARK, TODAY

TOPICS = [
    ("数学", "分数的初步认识", "lesson_plan"),
    ("语文", "古诗诵读", "micro_lesson"),
    ("英语", "Unit 3 阅读", "courseware"),
    ("科学", "简单电路", "exercises"),
    ("体育与健身", "跳绳校本课程", "course_package"),
]
MOTTOS = ["和而不同，美美与共", "共研共享，携手同行", "一校一品，共生共长", "让每个孩子都出彩"]
FILES_UP_TO = (
    60  # resources with a stored file (the others are links): enough to try, few to write at city size
)
MONTHS = 3  # of usage before the demo's day


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying `title` in ASCII (PDF fonts need no CJK for the demo's file to open)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def demo_png(rgb: tuple[int, int, int], size: int = 48) -> bytes:
    """A square PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def demo_library_remove() -> None:
    EventParticipant.objects.filter(event__is_demo=True).delete()
    EventPhoto.objects.filter(event__is_demo=True).delete()
    ClusterEvent.objects.filter(is_demo=True).delete()
    ClusterCulture.objects.filter(is_demo=True).delete()
    LibraryResource.objects.filter(is_demo=True).delete()  # versions, ratings and usage go with them


@transaction.atomic
def demo_library_build(size: str) -> dict[str, int]:
    rng = random.Random(f"junheng-demo-library-{size}")
    clusters = list(Cluster.objects.filter(is_demo=True).order_by("district__code", "name"))
    members: dict[int, list[int]] = {}
    for membership in ClusterMembership.objects.filter(cluster__in=clusters).order_by("school__code"):
        members.setdefault(membership.cluster_id, []).append(membership.school_id)
    authors: dict[int, int] = {}
    for teacher in Teacher.objects.filter(
        is_demo=True, employer__in=[s for m in members.values() for s in m]
    ):
        authors.setdefault(
            teacher.employer_id, teacher.pk
        )  # each school's first teacher builds its resources
    resources = _resources(rng, clusters, members, authors)
    versions = _versions(rng, resources)
    usage = _usage(rng, resources, members)
    events = _culture_and_events(rng, clusters, members)
    return {"library_resources": len(resources), "versions": versions, "usage_rows": usage, "events": events}


def _resources(
    rng: random.Random, clusters: list[Cluster], members: dict[int, list[int]], authors: dict[int, int]
) -> list[LibraryResource]:
    made = []
    for cluster in clusters:
        for subject, title, kind in rng.sample(TOPICS, 2):
            school: int = rng.choice(members.get(cluster.pk) or [cluster.lead_school_id or 0])
            made.append(
                LibraryResource(
                    title=f"{title}（{cluster.name}）",
                    kind=kind,
                    subject=subject,
                    stage="primary",
                    school_id=school,
                    author_id=authors.get(school),
                    cluster=cluster,
                    description="演示资源",
                    is_demo=True,
                )
            )
    bulk_create_with_history(made, LibraryResource, batch_size=2000, default_change_reason=DEMO_MARK)
    return list(LibraryResource.objects.filter(is_demo=True).order_by("pk"))


def _versions(rng: random.Random, resources: list[LibraryResource]) -> int:
    """Version 1 of each (a file for the first few, else a link); one in three improved once, answering a
    comment (the comment itself needs a user: the demo accounts rate nothing, so the note says what it answers)."""
    versions = []
    for index, resource in enumerate(resources):
        first = ResourceVersion(resource=resource, number=1, note="首版")
        if index < FILES_UP_TO:
            first.file.save(
                f"demo-{resource.pk}.pdf", ContentFile(demo_pdf(f"Demo resource {resource.pk}")), False
            )
        else:
            first.link = f"https://example.org/junheng-demo/{resource.pk}"
        versions.append(first)
        if rng.random() < 1 / 3:
            versions.append(
                ResourceVersion(
                    resource=resource,
                    number=2,
                    link=f"https://example.org/junheng-demo/{resource.pk}/v2",
                    note="根据成员校反馈增加例题与分层作业",
                )
            )
    bulk_create_with_history(versions, ResourceVersion, batch_size=2000, default_change_reason=DEMO_MARK)
    return len(versions)


def _usage(rng: random.Random, resources: list[LibraryResource], members: dict[int, list[int]]) -> int:
    rows, month = [], month_of(TODAY)
    months = []
    for _ in range(MONTHS):
        months.append(month)
        month = month_of(month - timedelta(days=1))
    for resource in resources:
        popularity = rng.choice([0, 1, 3, 8])
        for school in members.get(resource.cluster_id, []):
            for first_day in months:
                views = rng.randint(0, popularity * 3)
                if views:
                    downloads = rng.randint(0, views)
                    rows.append(
                        ResourceUsage(
                            resource=resource,
                            school_id=school,
                            month=first_day,
                            views=views,
                            downloads=downloads,
                        )
                    )
    ResourceUsage.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _culture_and_events(rng: random.Random, clusters: list[Cluster], members: dict[int, list[int]]) -> int:
    cultures, events = [], []
    for number, cluster in enumerate(clusters):
        culture = ClusterCulture(
            cluster=cluster,
            motto=MOTTOS[number % len(MOTTOS)],
            description="演示：学区/集团文化",
            is_demo=True,
        )
        if number < FILES_UP_TO:
            colour = (rng.randint(0, 200), rng.randint(60, 200), rng.randint(100, 255))
            culture.logo.save(f"demo-logo-{cluster.pk}.png", ContentFile(demo_png(colour)), False)
        cultures.append(culture)
        schools = members.get(cluster.pk) or [cluster.lead_school_id or 0]
        events.append(
            ClusterEvent(
                cluster=cluster,
                school_id=cluster.lead_school_id if cluster.lead_school_id in schools else schools[0],
                kind="showcase" if number % 2 else "practice",
                title=f"{cluster.name}学生综合素质展示（演示）",
                date=TODAY - timedelta(days=rng.randint(10, 200)),
                description="演示活动",
                is_demo=True,
            )
        )
    bulk_create_with_history(cultures, ClusterCulture, batch_size=2000, default_change_reason=DEMO_MARK)
    bulk_create_with_history(events, ClusterEvent, batch_size=2000, default_change_reason=DEMO_MARK)
    participants, photos = [], []
    for number, event in enumerate(ClusterEvent.objects.filter(is_demo=True).order_by("pk")):
        for school in members.get(event.cluster_id, []):
            participants.append(EventParticipant(event=event, school_id=school, students=rng.randint(10, 60)))
        if number < FILES_UP_TO:
            photo = EventPhoto(event=event, caption="展示现场")
            photo.image.save(f"demo-event-{event.pk}.png", ContentFile(demo_png((240, 180, 60))), False)
            photos.append(photo)
    bulk_create_with_history(participants, EventParticipant, batch_size=5000, default_change_reason=DEMO_MARK)
    bulk_create_with_history(photos, EventPhoto, batch_size=2000, default_change_reason=DEMO_MARK)
    return len(events)
