"""The pages of facility sharing beyond the registry's: a booking's steps from its page, and the usage report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from junheng.core.scope import access_object

from .choices import BookingStatus
from .models import Booking
from .services import booking_cancel, booking_decide


class BookingStepView(LoginRequiredMixin, View):
    """Approve or refuse (the owning school), cancel (the booking school); another answers 403 saying who may."""

    def post(self, request: HttpRequest, pk: int, to: str) -> HttpResponse:
        booking = access_object(Booking, request.user, pk)
        note = request.POST.get("note", "").strip()[:200]
        try:
            if to == BookingStatus.CANCELLED:
                booking_cancel(actor=request.user, booking=booking, note=note)
            elif to in (BookingStatus.APPROVED, BookingStatus.REFUSED):
                booking_decide(actor=request.user, booking=booking, to=to, note=note)
            else:
                raise Http404
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            messages.success(request, _("Saved."))
        # The approval queue sends its decisions back to itself; anywhere else is the booking's page.
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect(booking.get_absolute_url())
