from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken, SecurityEvent


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("user", "label", "created_at", "last_used_at")
    readonly_fields = ("key_hash", "created_at", "last_used_at")


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    """The record of failed logins, lockouts and refused API tokens: read only, as an audit trail is."""

    list_display = ("at", "kind", "username", "ip_address", "detail")
    list_filter = ("kind", "at")
    search_fields = ("username", "ip_address")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
