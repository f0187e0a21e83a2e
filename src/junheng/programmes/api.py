"""API schemas of the hand-in-hand plan; routes come from the resource registry."""

from typing import Any, Literal

from ninja import Schema

from junheng.organisations.models import Institution, School

from .models import Pairing


class SchoolRef(Schema):
    name: str
    district_code: str | None


class UnitRef(Schema):
    name: str
    district_code: str | None
    type: Literal["school", "institution"]


def _ref(organisation: School | Institution) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "district_code": organisation.district.code if organisation.district is not None else None,
    }


class PairingOut(Schema):
    id: int
    round: str
    kind: Literal["entrusted", "mutual_growth"]
    sequence: int
    supported_school: SchoolRef
    supporting_unit: UnitRef
    project_title: str | None

    @staticmethod
    def resolve_round(obj: Pairing) -> str:
        return obj.round.name

    @staticmethod
    def resolve_supported_school(obj: Pairing) -> dict[str, Any]:
        return _ref(obj.supported_school)

    @staticmethod
    def resolve_supporting_unit(obj: Pairing) -> dict[str, Any]:
        unit = obj.supporting_unit
        assert unit is not None  # every pairing has its supporting school or institution (a database check)
        return {**_ref(unit), "type": "school" if obj.supporting_school_id else "institution"}

    @staticmethod
    def resolve_project_title(obj: Pairing) -> str | None:
        return obj.project_title or None
