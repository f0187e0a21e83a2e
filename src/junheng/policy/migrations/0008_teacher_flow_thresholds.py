from django.db import migrations

KEYS = [
    "R-C1.rotation_eligible_years",
    "R-C5.exam_subjects_covered",
    "R-C6.appraised_by_host",
    "R-C7.duty_on_return",
    "R-C8.staffing_plan_filed",
]


def add(apps, schema_editor):
    from junheng.core.audit import record_changed_rows, record_shipped_rows
    from junheng.policy.editions import add_missing_thresholds, add_shipped_notes

    threshold = apps.get_model("policy", "Threshold")
    add_missing_thresholds(apps.get_model("policy", "PolicyEdition"), threshold, KEYS)
    record_shipped_rows(apps, "policy", "Threshold", "随平台发布的政策版本")
    noted = add_shipped_notes(threshold)
    record_changed_rows(apps, "policy", "Threshold", noted, "随平台发布的政策版本：参数说明")


class Migration(migrations.Migration):
    dependencies = [("policy", "0007_threshold_note")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
