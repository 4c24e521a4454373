# Per-region directories: units, groups and aliases belong to one region; names and codes are
# unique within that region only. Existing groups and aliases join the directory of their units.

import django.db.models.deletion
from django.db import migrations, models


def fill_directories(apps, schema_editor):
    Region = apps.get_model("orgs", "Region")
    UnitGroup = apps.get_model("orgs", "UnitGroup")
    Alias = apps.get_model("orgs", "Alias")
    first = Region.objects.order_by("parent_id", "position", "code").first()
    for group in UnitGroup.objects.all():
        regions = [m.region_id for m in group.members.all()]
        region_id = max(set(regions), key=regions.count) if regions else (first and first.pk)
        UnitGroup.objects.filter(pk=group.pk).update(region_id=region_id)
    for alias in Alias.objects.select_related("unit", "group"):
        region_id = alias.unit.region_id if alias.unit_id else alias.group.region_id
        Alias.objects.filter(pk=alias.pk).update(region_id=region_id)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="unitgroup",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="unit_groups",
                to="orgs.region",
                verbose_name="所属名录",
            ),
        ),
        migrations.AddField(
            model_name="alias",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="aliases",
                to="orgs.region",
                verbose_name="所属名录",
            ),
        ),
        migrations.RunPython(fill_directories, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="unitgroup",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="unit_groups",
                to="orgs.region",
                verbose_name="所属名录",
            ),
        ),
        migrations.AlterField(
            model_name="alias",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="aliases",
                to="orgs.region",
                verbose_name="所属名录",
            ),
        ),
    ]
