"""What other apps read of the evaluation."""

from __future__ import annotations

from collections import defaultdict

from junheng.organisations.models import Cluster, District

from .models import ClusterResult


def latest_cluster_results(year: int, district: District | None = None) -> dict[Cluster, list[ClusterResult]]:
    """Each cluster's results of its latest monitoring year up to `year`."""
    results = ClusterResult.objects.filter(year__lte=year).select_related("cluster__district")
    if district is not None:
        results = results.filter(cluster__district=district)
    by_cluster: dict[Cluster, list[ClusterResult]] = defaultdict(list)
    for result in results.order_by("cluster", "-year", "stage", "subject"):
        latest = by_cluster.get(result.cluster)
        if not latest or latest[0].year == result.year:
            by_cluster[result.cluster].append(result)
    return dict(by_cluster)
