from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Pairing, ProgrammeRound


@admin.register(ProgrammeRound)
class ProgrammeRoundAdmin(SimpleHistoryAdmin):
    list_display = ("name", "document_number", "start_date", "end_date")


@admin.register(Pairing)
class PairingAdmin(SimpleHistoryAdmin):
    list_display = (
        "round",
        "kind",
        "sequence",
        "supported_school",
        "supporting_school",
        "supporting_institution",
    )
    list_filter = ("round", "kind")
    raw_id_fields = ("supported_school", "supporting_school", "supporting_institution")
