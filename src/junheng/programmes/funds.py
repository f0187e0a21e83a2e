"""The transparency report (R-B12): per district, what the city allocated in a year and what its pairings spent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from junheng.organisations.models import District

from .models import FundAllocation, Spending


@dataclass(frozen=True)
class DistrictFunds:
    district: District
    allocated: Decimal
    spent: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.spent


def funds_by_district(programme_round: Any, year: int) -> list[DistrictFunds]:
    allocated = dict(
        FundAllocation.objects.filter(round=programme_round, year=year)
        .values_list("district")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    spent = dict(
        Spending.objects.filter(pairing__round=programme_round, date__year=year)
        .values_list("pairing__supported_school__district")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return [
        DistrictFunds(
            district, allocated.get(district.pk) or Decimal(0), spent.get(district.pk) or Decimal(0)
        )
        for district in District.objects.filter(pk__in=set(allocated) | set(spent))
    ]
