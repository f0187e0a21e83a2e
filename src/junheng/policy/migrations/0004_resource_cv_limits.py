from django.db import migrations


def add(apps, schema_editor):
    from junheng.core.audit import record_shipped_rows
    from junheng.policy.editions import add_missing_thresholds

    add_missing_thresholds(
        apps.get_model("policy", "PolicyEdition"),
        apps.get_model("policy", "Threshold"),
        ["R-E2.resource_cv_primary", "R-E2.resource_cv_junior"],
    )
    record_shipped_rows(apps, "policy", "Threshold", "随平台发布的政策版本")


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_pass_cut_score")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
