from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Teacher


@admin.register(Teacher)
class TeacherAdmin(SimpleHistoryAdmin):
    list_display = ("name", "staff_number", "employer", "subject", "backbone_tier", "cadre", "is_demo")
    search_fields = ("name", "staff_number")
    raw_id_fields = ("employer", "user")
