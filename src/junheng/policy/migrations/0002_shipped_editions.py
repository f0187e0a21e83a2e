from django.db import migrations


def load(apps, schema_editor):
    from junheng.policy.editions import load_editions

    from junheng.core.audit import record_shipped_rows

    load_editions(apps.get_model("policy", "PolicyEdition"), apps.get_model("policy", "Threshold"))
    for model in ("PolicyEdition", "Threshold"):
        record_shipped_rows(apps, "policy", model, "随平台发布的政策版本")


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_editions_and_findings")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
