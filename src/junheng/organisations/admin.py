"""The Django admin is for platform operators (superusers); everyone else works on the scoped pages."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Cluster,
    ClusterMembership,
    District,
    DistrictAlias,
    Institution,
    Membership,
    School,
    SchoolYearCount,
)


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "short_name")


@admin.register(DistrictAlias)
class DistrictAliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "district", "historical")


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "district", "stage", "ownership", "is_demo")
    list_filter = ("district", "stage", "is_demo")
    search_fields = ("name", "code")


@admin.register(SchoolYearCount)
class SchoolYearCountAdmin(SimpleHistoryAdmin):
    list_display = ("school", "school_year", "primary_students", "junior_students", "teachers")
    raw_id_fields = ("school",)


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "district", "kind")


class MembershipInline(admin.TabularInline[ClusterMembership, Any]):
    model = ClusterMembership
    raw_id_fields = ("school",)
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "district", "lead_school", "model_status", "is_demo")
    list_filter = ("district", "kind", "model_status")
    raw_id_fields = ("lead_school",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "can_edit", "district", "school", "institution", "cluster")
    list_filter = ("role", "can_edit")
    raw_id_fields = ("user", "school", "institution", "cluster")
