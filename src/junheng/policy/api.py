from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Schema

from .models import PolicyEdition, RotationNeed, Threshold


class ThresholdOut(Schema):
    key: str
    value: Decimal | None
    comparator: str
    unit: str
    source: str
    clause: str
    note: str


class PolicyEditionOut(Schema):
    id: int
    code: str
    name: str
    document_number: str
    period_start: date
    period_end: date
    thresholds: list[ThresholdOut]

    @staticmethod
    def resolve_thresholds(obj: PolicyEdition) -> list[Threshold]:
        return list(obj.thresholds.all())


class ThresholdItemOut(ThresholdOut):
    id: int
    edition: str

    @staticmethod
    def resolve_edition(obj: Threshold) -> str:
        return obj.edition.code


class NeedSchoolRef(Schema):
    id: int
    name: str
    code: str | None


class RotationNeedOut(Schema):
    id: int
    school: NeedSchoolRef
    school_year: int
    subject: str
    stage: str
    need: int

    @staticmethod
    def resolve_school(obj: RotationNeed) -> dict[str, Any]:
        return {"id": obj.school_id, "name": obj.school.name, "code": obj.school.code}
