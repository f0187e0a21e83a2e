from datetime import date
from decimal import Decimal

from ninja import Schema


class ThresholdOut(Schema):
    key: str
    value: Decimal | None
    comparator: str
    unit: str
    source: str
    clause: str


class PolicyEditionOut(Schema):
    id: int
    code: str
    name: str
    document_number: str
    period_start: date
    period_end: date
    thresholds: list[ThresholdOut]

    @staticmethod
    def resolve_thresholds(obj) -> list:  # type: ignore[no-untyped-def]
        return list(obj.thresholds.all())


class ThresholdItemOut(ThresholdOut):
    id: int
    edition: str

    @staticmethod
    def resolve_edition(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.edition.code
