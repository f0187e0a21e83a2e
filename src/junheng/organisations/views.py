"""The pages of the registry beyond the resource registry's own: deciding a membership change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.scope import access_object

from .models import MembershipChange
from .services import DECISIONS, membership_change_decide


class MembershipChangeDecisionView(LoginRequiredMixin, View):
    """The bureau approves (and so applies) or refuses a membership change from its page; another role is
    answered 403 saying who decides."""

    def post(self, request: HttpRequest, pk: int, decision: str) -> HttpResponse:
        if decision not in DECISIONS:
            raise Http404
        change = access_object(MembershipChange, request.user, pk)
        try:
            membership_change_decide(
                actor=request.user,
                change=change,
                approve=decision == "approve",
                note=request.POST.get("note", "").strip(),
            )
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect(change.get_absolute_url())
