"""API schemas of the registry; the routes are generated from the resource registry in junheng.core.api."""

from datetime import date
from decimal import Decimal

from ninja import Schema

from .models import Cluster, ClusterMembership, District, Institution, School


class DistrictOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    aliases: list[str]

    @staticmethod
    def resolve_aliases(obj: District) -> list[str]:
        return [alias.name for alias in obj.aliases.all()]


class SchoolOut(Schema):
    id: int
    name: str
    code: str | None
    district_code: str | None
    stage: str
    school_type_code: str
    ownership: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_new: bool
    is_rural: bool
    is_demo: bool

    @staticmethod
    def resolve_district_code(obj: School) -> str | None:
        return obj.district.code if obj.district is not None else None


class InstitutionOut(Schema):
    id: int
    name: str
    district_code: str | None
    kind: str

    @staticmethod
    def resolve_district_code(obj: Institution) -> str | None:
        return obj.district.code if obj.district is not None else None


class NamedRef(Schema):
    id: int
    name: str


class MemberOut(Schema):
    school: NamedRef
    tier: str
    start_date: date
    end_date: date | None


class ClusterOut(Schema):
    id: int
    name: str
    kind: str
    district_code: str
    lead_school: NamedRef | None
    close_knit: bool
    model_status: str
    established_on: date | None
    is_demo: bool
    members: list[MemberOut]

    @staticmethod
    def resolve_district_code(obj: Cluster) -> str:
        return obj.district.code

    @staticmethod
    def resolve_members(obj: Cluster) -> list[ClusterMembership]:
        return list(obj.memberships.all())
