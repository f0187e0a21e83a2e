"""API schemas of the hand-in-hand plan; routes come from the resource registry."""

from typing import Literal

from ninja import Schema


class SchoolRef(Schema):
    name: str
    district_code: str | None


class UnitRef(Schema):
    name: str
    district_code: str | None
    type: Literal["school", "institution"]


def _ref(organisation) -> dict:  # type: ignore[no-untyped-def]
    return {
        "name": organisation.name,
        "district_code": organisation.district.code if organisation.district_id else None,
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
    def resolve_round(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.round.name

    @staticmethod
    def resolve_supported_school(obj) -> dict:  # type: ignore[no-untyped-def]
        return _ref(obj.supported_school)

    @staticmethod
    def resolve_supporting_unit(obj) -> dict:  # type: ignore[no-untyped-def]
        unit = obj.supporting_unit
        return {**_ref(unit), "type": "school" if obj.supporting_school_id else "institution"}

    @staticmethod
    def resolve_project_title(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.project_title or None
