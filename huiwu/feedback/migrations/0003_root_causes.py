"""The root causes a new installation starts with (seed 篇2 names the first); administrators add, rename
and retire them in Administration."""

from django.db import migrations

ROOT_CAUSES = ["沟通不及时", "服务不到位", "设备故障", "预订信息错误", "环境卫生", "人员态度", "其他"]


def add_root_causes(apps, schema_editor):
    RootCause = apps.get_model("feedback", "RootCause")
    for order, name in enumerate(ROOT_CAUSES, start=1):
        RootCause.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_followup_survey_answer")]

    operations = [migrations.RunPython(add_root_causes, migrations.RunPython.noop)]
