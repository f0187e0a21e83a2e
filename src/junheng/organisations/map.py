"""The map of the registry (SPEC R-F5): every school a user may see as a point, coloured by its cluster and shaped
by its tier, each cluster drawn as lines from its members to its lead, over the 16 districts' polygons
(static/vendor/shanghai/districts.geojson, docs/map-data.md).

`map_data` is the one selector: the page, the home pages' component and a cluster's page all draw what it returns,
and it reads only through the scope's querysets, so a map shows exactly the schools and clusters the user sees.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from junheng.core.resources import REGISTRY, Section

from .choices import ModelStatus, Stage, Tier
from .models import Cluster, ClusterMembership, District, School, in_force_on

# The order a school's clusters are tried in for its colour: a model cluster before the others.
STATUS_RANK: dict[str, int] = {ModelStatus.ACCREDITED: 0, ModelStatus.CREATING: 1, ModelStatus.NONE: 2}


def map_data(
    user: Any, *, cluster: Cluster | None = None, district: District | None = None, day: date | None = None
) -> dict[str, Any]:
    """What the map draws for the user on the day (today by default): schools with coordinates, clusters with their
    members in force, and the choices of its filters; with `cluster`, that cluster and its members only; with
    `district`, that district's schools and clusters."""
    day = day or timezone.localdate()
    clusters = Cluster.objects.restrict(user).select_related("district")
    schools = School.objects.restrict(user).filter(latitude__isnull=False, longitude__isnull=False)
    if cluster is not None:
        clusters = clusters.filter(pk=cluster.pk)
        schools = schools.filter(cluster_memberships__in=cluster.memberships.filter(in_force_on(day)))
    if district is not None:
        clusters = clusters.filter(district=district)
        schools = schools.filter(district=district)
    cluster_list = list(clusters)
    school_list = list(schools.select_related("district").distinct())
    visible = {s.pk for s in school_list}
    members = _members(cluster_list, visible, day)
    return {
        "schools": [_school_point(s, members.by_school.get(s.pk, [])) for s in school_list],
        "clusters": [_cluster_entry(c, members.by_cluster.get(c.pk, [])) for c in cluster_list],
        "filters": _filters(school_list, cluster_list),
        "labels": _labels(),
    }


class _Members:
    def __init__(self) -> None:
        self.by_school: dict[int, list[tuple[Cluster, str]]] = defaultdict(list)
        self.by_cluster: dict[int, list[int]] = defaultdict(list)


def _members(clusters: list[Cluster], visible: set[int], day: date) -> _Members:
    found = _Members()
    by_pk = {c.pk: c for c in clusters}
    memberships = ClusterMembership.objects.filter(
        in_force_on(day), cluster__in=list(by_pk), school__in=visible
    )
    for m in memberships.order_by("cluster", "school").values("cluster", "school", "tier"):
        found.by_school[m["school"]].append((by_pk[m["cluster"]], m["tier"]))
        found.by_cluster[m["cluster"]].append(m["school"])
    return found


def _school_point(school: School, clusters: list[tuple[Cluster, str]]) -> dict[str, Any]:
    """A school's point. Its colour is that of its first cluster (a model cluster first, then by number); its
    tier is the one it holds there, and "none" for a school in no cluster the user sees."""
    ordered = sorted(clusters, key=lambda pair: (STATUS_RANK.get(pair[0].model_status, 3), pair[0].pk))
    first = ordered[0] if ordered else None
    return {
        "id": school.pk,
        "name": school.name,
        "district": school.district.code if school.district else "",
        "stage": school.stage,
        "lon": float(school.longitude or 0),
        "lat": float(school.latitude or 0),
        "tier": first[1] if first else "none",
        "cluster": first[0].pk if first else None,
        "clusters": [c.pk for c, _tier in ordered],
        "statuses": sorted({c.model_status for c, _tier in ordered}),
        "url": school.get_absolute_url(),
    }


def _cluster_entry(cluster: Cluster, members: list[int]) -> dict[str, Any]:
    return {
        "id": cluster.pk,
        "name": cluster.name,
        "district": cluster.district.code,
        "lead": cluster.lead_school_id if cluster.lead_school_id in members else None,
        "status": cluster.model_status,
        "members": members,
        "url": cluster.get_absolute_url(),
    }


def _filters(schools: list[School], clusters: list[Cluster]) -> dict[str, list[list[str]]]:
    """The filters' choices, only those the map holds: [value, label] pairs."""
    codes = {s.district.code for s in schools if s.district} | {c.district.code for c in clusters}
    stages = {s.stage for s in schools if s.stage}
    statuses = {c.model_status for c in clusters}
    return {
        "district": [[d.code, d.name] for d in District.objects.filter(code__in=codes)],
        "stage": [[value, str(label)] for value, label in Stage.choices if value in stages],
        "cluster": [[str(c.pk), c.name] for c in sorted(clusters, key=lambda c: (c.district.code, c.name))],
        "status": [[value, str(label)] for value, label in ModelStatus.choices if value in statuses],
    }


def _labels() -> dict[str, str]:
    return {
        Tier.QUALITY: str(Tier.QUALITY.label),
        Tier.WEAKER: str(Tier.WEAKER.label),
        "none": _("In no cluster"),
        "current": _("Current clusters"),
        "proposed": _("Proposed clusters"),
    }


def _cluster_map(request: Any, cluster: Cluster) -> list[Section]:
    """The cluster's members on the map, on its page."""
    data = map_data(request.user, cluster=cluster)
    if not data["schools"]:
        return []
    return [Section(_("Map"), None, include="organisations/_map_section.html", data=data)]


REGISTRY["clusters"].more_related.append(_cluster_map)
