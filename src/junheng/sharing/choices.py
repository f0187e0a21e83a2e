from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    """The facilities a cluster's schools open to each other (R-D8)."""

    SPORTS_VENUE = "sports_venue", _("Sports venue")
    LIBRARY = "library", _("Library")
    LABORATORY = "laboratory", _("Laboratory")
    LABOUR_EDUCATION_BASE = "labour_base", _("Labour education base")
    OFF_CAMPUS_BASE = "off_campus_base", _("Off-campus education base")


class BookingStatus(models.TextChoices):
    """A booking is requested by the booking school and decided by the facility's owner; either side's end frees
    the slot (refused, cancelled)."""

    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


# The bookings that hold their slot: no two of one facility overlap.
HOLDING_SLOT = (BookingStatus.REQUESTED.value, BookingStatus.APPROVED.value)

WEEKDAYS = (
    (1, _("Mon")),
    (2, _("Tue")),
    (3, _("Wed")),
    (4, _("Thu")),
    (5, _("Fri")),
    (6, _("Sat")),
    (7, _("Sun")),
)
