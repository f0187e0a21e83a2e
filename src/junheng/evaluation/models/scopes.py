"""Who reaches the evaluation's records: a school's own records through the school, a district's forms and
surveys through the district, and the parts of a form or survey through it."""

from __future__ import annotations

from django.db.models import Q

from junheng.core.choices import Action
from junheng.core.scope import RestrictedQuerySet, Scope
from junheng.organisations.models import School


class BySchoolQuerySet(RestrictedQuerySet):
    creators = ("districts", "schools")

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q(school__in=School.objects.within(scope, action))


class DistrictOwnedQuerySet(RestrictedQuerySet):
    """A district bureau writes them; the district's schools and units read them (they are appraised or
    surveyed with them)."""

    creators = ("districts",)

    def scope_filter(self, scope: Scope, action: str) -> Q:
        districts = scope.districts | scope.home_districts if action == Action.VIEW else scope.districts
        return Q(district__in=districts)


class PartQuerySet(RestrictedQuerySet):
    """Rows reached through the record they belong to, the foreign key named `parent`."""

    creators = ("districts",)  # the parts of a district's forms and surveys

    parent = ""

    def scope_filter(self, scope: Scope, action: str) -> Q:
        whole = self.model._meta.get_field(self.parent).related_model
        return Q(
            **{f"{self.parent}__in": whole._default_manager.within(scope, self.action_on_parent(action))}
        )

    def action_on_parent(self, action: str) -> str:
        return action


class ResultQuerySet(PartQuerySet):
    """Results `evaluate` computes and replaces, never edited: reached wherever what they describe is seen."""

    def action_on_parent(self, action: str) -> str:
        return "view"
