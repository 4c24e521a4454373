"""Progress reports and meetings point at evidence in its own app (the same table as before):
state only, no SQL."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_campaign_reports_from"),
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="meeting",
                    name="attachments",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="meetings",
                        to="evidence.evidence",
                        verbose_name="附件",
                    ),
                ),
                migrations.AlterField(
                    model_name="progressreport",
                    name="evidence",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="reports",
                        to="evidence.evidence",
                        verbose_name="佐证材料",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
