from django.db import migrations


def add(apps, schema_editor):
    from junheng.core.audit import record_shipped_rows
    from junheng.policy.editions import add_missing_thresholds

    add_missing_thresholds(
        apps.get_model("policy", "PolicyEdition"),
        apps.get_model("policy", "Threshold"),
        ["R-E3.pass_cut_score"],
    )
    record_shipped_rows(apps, "policy", "Threshold", "随平台发布的政策版本")


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_shipped_editions")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
