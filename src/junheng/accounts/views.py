"""Role administration pages: who holds which role where (for an administrator, within what it administers),
granting, revoking and deactivating; and every user's own roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from junheng.core.forms import style_fields
from junheng.organisations.choices import Role
from junheng.organisations.models import Membership

from .roles import (
    ORGANISATION_FIELDS,
    account_deactivate,
    administered_memberships,
    grant_from,
    grantable_organisations,
    grantable_roles,
    is_administrator,
    membership_revoke,
)


class RoleListView(LoginRequiredMixin, View):
    """An administrator's list of roles in what it administers; anyone else sees its own roles."""

    def get(self, request: HttpRequest) -> HttpResponse:
        own = Membership.objects.filter(user=request.user.pk).select_related(*ORGANISATION_FIELDS)
        rows = administered_memberships(request.user) if is_administrator(request.user) else None
        if rows is not None:
            query = request.GET.get("q", "").strip()[:50]
            role = request.GET.get("role", "")
            if query:
                rows = rows.filter(user__username__icontains=query) | rows.filter(
                    user__first_name__icontains=query
                )
            if role in Role.values:
                rows = rows.filter(role=role)
        return render(
            request,
            "accounts/roles.html",
            {
                "own": own,
                "rows": rows[:500] if rows is not None else None,
                "roles": Role.choices,
                "chosen_role": request.GET.get("role", ""),
                "query": request.GET.get("q", ""),
            },
        )


class GrantForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]{3,150}$",
        label=gettext_lazy("Username"),
        help_text=gettext_lazy("An existing account, or a new one made with the name and password below."),
    )
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    password = forms.CharField(
        label=gettext_lazy("Initial password (new account only)"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=())
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), choices=(), required=False)
    staff_number = forms.CharField(
        label=gettext_lazy("Staff number (teacher role)"), max_length=30, required=False
    )
    can_edit = forms.BooleanField(label=gettext_lazy("May edit"), required=False)
    is_administrator = forms.BooleanField(label=gettext_lazy("Administrator"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—"), *grantable_organisations(user)]  # type: ignore[attr-defined]  # a ChoiceField, typed as Field
        self.fields["role"].choices = grantable_roles(user)  # type: ignore[attr-defined]  # likewise
        style_fields(self)


class GrantView(LoginRequiredMixin, View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not is_administrator(request.user):
            raise PermissionDenied(_("Only administrators grant roles."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(GrantForm(user=request.user, initial=request.GET.dict()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GrantForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                membership = grant_from(request.user, form.cleaned_data)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("Granted: %(user)s is now %(role)s.")
                    % {"user": membership.user.username, "role": membership},
                )
                return redirect("accounts:role_list")
        return self._render(form)

    def _render(self, form: GrantForm) -> HttpResponse:
        return render(self.request, "accounts/role_grant.html", {"form": form})


def _add_errors(form: forms.Form, invalid: ValidationError) -> None:
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid)


class RevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = administered_memberships(request.user).filter(pk=pk).first()
        if membership is None:
            raise Http404
        try:
            membership_revoke(actor=request.user, membership=membership)
        except (ValidationError, PermissionDenied) as refused:
            messages.error(request, "；".join(getattr(refused, "messages", [str(refused)])))
        else:
            messages.success(request, _("Revoked: %(role)s.") % {"role": membership})
        return redirect("accounts:role_list")


class DeactivateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        held = administered_memberships(request.user).filter(user=pk).first()
        if held is None:
            raise Http404
        try:
            account_deactivate(actor=request.user, user=held.user)
        except (ValidationError, PermissionDenied) as refused:
            messages.error(request, "；".join(getattr(refused, "messages", [str(refused)])))
        else:
            messages.success(request, _("Deactivated: %(user)s can no longer log in.") % {"user": held.user})
        return redirect("accounts:role_list")
