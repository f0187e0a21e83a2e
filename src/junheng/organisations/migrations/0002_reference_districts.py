from django.db import migrations


def load(apps, schema_editor):
    from junheng.organisations.reference import load_districts

    from junheng.core.audit import record_shipped_rows

    load_districts(apps.get_model("organisations", "District"), apps.get_model("organisations", "DistrictAlias"))
    for model in ("District", "DistrictAlias"):
        record_shipped_rows(apps, "organisations", model, "随平台发布的参考数据")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_registry")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
