"""Who may see and change what: one place that turns a user's memberships into a queryset filter.

The memberships themselves live in `organisations`; settings.JUNHENG_SCOPE_PROVIDER names the function that
turns them into a Scope, so that core depends on no domain app.

Every domain queryset derives from RestrictedQuerySet and says, in `scope_filter`, which of its rows a scope
reaches. Lists, exports and API calls call `.restrict(user, action)`; single objects come from
`access_object`, which answers the same 404 for "missing" and "not yours".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import Action

# The kinds of organisation a scope holds, as the sentence that says who may add a record names them.
CREATOR_KINDS = ("districts", "clusters", "schools", "institutions")


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    districts: frozenset[int] = field(default_factory=frozenset)  # as district bureau
    clusters: frozenset[int] = field(default_factory=frozenset)  # as cluster office
    schools: frozenset[int] = field(default_factory=frozenset)  # as school or supporting school
    institutions: frozenset[int] = field(default_factory=frozenset)  # as supporting institution
    home_districts: frozenset[int] = field(default_factory=frozenset)  # districts the user's units lie in
    user_id: int | None = None
    has_role: bool = False  # any membership at all; without one a user reaches nothing

    @property
    def reaches_nothing(self) -> bool:
        return not (self.everything or self.districts or self.clusters or self.schools or self.institutions)


def scope_for(user: Any, action: str = Action.VIEW) -> Scope:
    """The user's scope for an action, computed once per user object (one query)."""
    if user is None or not user.is_authenticated:
        return Scope()
    cache = user.__dict__.setdefault("_junheng_scopes", {})
    if action not in cache:
        cache[action] = _compute_scope(user, action)
    scope: Scope = cache[action]
    return scope


def _compute_scope(user: Any, action: str) -> Scope:
    if user.is_superuser:
        return Scope(everything=True, user_id=user.pk, has_role=True)
    provider: Callable[[Any, str], Scope] = import_string(settings.JUNHENG_SCOPE_PROVIDER)
    return provider(user, action)


class RestrictedQuerySet(models.QuerySet[Any]):
    # Beside the municipal commission, the kinds of organisation whose editors add rows of this model. Editing a
    # row and adding one differ: a school edits its own record but adds no school.
    creators: tuple[str, ...] = CREATOR_KINDS

    def restrict(self, user: Any, action: str = Action.VIEW) -> RestrictedQuerySet:
        return self.within(scope_for(user, action), action)

    def within(self, scope: Scope, action: str = Action.VIEW) -> RestrictedQuerySet:
        """The rows a given scope reaches; lets one model's scope be phrased through another's."""
        if scope.everything:
            return self
        if not scope.has_role:
            return self.none()
        return self.filter(self.scope_filter(scope, action))

    def scope_filter(self, scope: Scope, action: str) -> Q:
        raise NotImplementedError(f"{self.model.__name__} must say which rows a scope reaches")

    def creatable(self, scope: Scope) -> bool:
        """Whether the scope may add a row of this model at all (which rows, the save's scope check decides)."""
        return scope.everything or any(getattr(scope, kind) for kind in self.creators)

    def creation_refusal(self) -> str:
        """Why someone outside `creators` may not add a row, in a sentence the add page and the API show."""
        what = self.model._meta.verbose_name_plural
        names = [creator_name(kind) for kind in self.creators]
        if not names:
            return _("Only the municipal commission may add %(what)s.") % {"what": what}
        return _("Only the municipal commission and %(who)s may add %(what)s.") % {
            "who": pgettext("between the names of a list", ", ").join(names),
            "what": what,
        }

    def offered_to(self, user: Any, current: Any = None) -> RestrictedQuerySet:
        """What a form's choice of these rows offers the user: the rows it sees, and the record's current choice
        (a pairing's supporting school in another district stays valid when its supported district edits it)."""
        return self.filter(Q(pk__in=self.restrict(user).values("pk")) | Q(pk=current))


class ReadByRolesQuerySet(RestrictedQuerySet):
    """Rows every organisation's role reads (a programme round, a policy edition); only the municipal commission
    changes them, which `restrict` grants before asking here. A teacher or an expert reaches only its own
    records, so not these."""

    creators = ()

    def scope_filter(self, scope: Scope, action: str) -> Q:
        return Q() if action == Action.VIEW and not scope.reaches_nothing else Q(pk__in=())


def creator_name(kind: str) -> str:
    names = {
        "districts": _("the district bureaus"),
        "clusters": _("the cluster offices"),
        "schools": _("the schools"),
        "institutions": _("the supporting institutions"),
    }
    return names[kind]


M = TypeVar("M", bound=models.Model)
MAX_ID = 2**53  # ids beyond this exist nowhere; refusing them keeps every database's integer types happy


def access_object(model: type[M], user: Any, pk: Any, action: str = Action.VIEW) -> M:
    """The object if the user may act on it; otherwise 404, exactly as if it did not exist."""
    if isinstance(pk, int) and not 0 < pk <= MAX_ID:
        raise Http404
    try:
        found: M = model._default_manager.restrict(user, action).get(pk=pk)  # type: ignore[attr-defined]  # every domain manager is a RestrictedQuerySet's
        return found
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404 from missing


def can(user: Any, action: str, obj: models.Model) -> bool:
    manager: Any = type(obj)._default_manager  # every domain manager is a RestrictedQuerySet's
    return bool(manager.restrict(user, action).filter(pk=obj.pk).exists())
