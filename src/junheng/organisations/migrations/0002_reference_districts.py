from django.db import migrations


def load(apps, schema_editor):
    from junheng.organisations.reference import load_districts

    load_districts(apps.get_model("organisations", "District"), apps.get_model("organisations", "DistrictAlias"))


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_registry")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
