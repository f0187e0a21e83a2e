from django.db import migrations

KEYS = ["R-A4.stable_membership", "R-A6.governance_adopted"]


def add(apps, schema_editor):
    from junheng.core.audit import record_shipped_rows
    from junheng.policy.editions import add_missing_thresholds

    add_missing_thresholds(
        apps.get_model("policy", "PolicyEdition"), apps.get_model("policy", "Threshold"), KEYS
    )
    record_shipped_rows(apps, "policy", "Threshold", "随平台发布的政策版本")


class Migration(migrations.Migration):
    dependencies = [("policy", "0012_accreditation")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
