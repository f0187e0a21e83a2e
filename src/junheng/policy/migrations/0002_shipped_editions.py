from django.db import migrations


def load(apps, schema_editor):
    from junheng.policy.editions import load_editions

    load_editions(apps.get_model("policy", "PolicyEdition"), apps.get_model("policy", "Threshold"))


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_editions_and_findings")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
