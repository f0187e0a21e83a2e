from django.db import models
from django.utils.translation import gettext_lazy as _


class PairingKind(models.TextChoices):
    ENTRUSTED = "entrusted", _("Entrusted management")
    MUTUAL_GROWTH = "mutual_growth", _("Mutual-growth project")
