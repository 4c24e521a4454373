"""Evidence moves to its own app. Scores and findings point at it there; the round ↔ evidence
link, which was Evidence.rounds, becomes Round.evidence on the same table and columns
(assessments_evidence_rounds: evidence_id, round_id). State only: no data moves, no SQL runs."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_initial"),
        ("campaigns", "0005_evidence_app"),
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="evidence", name="rounds"),
                migrations.AddField(
                    model_name="round",
                    name="evidence",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="assessments_evidence_rounds",
                        related_name="rounds",
                        to="evidence.evidence",
                        verbose_name="佐证材料",
                    ),
                ),
                migrations.AlterField(
                    model_name="finding",
                    name="evidence",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="findings",
                        to="evidence.evidence",
                        verbose_name="整改佐证",
                    ),
                ),
                migrations.AlterField(
                    model_name="score",
                    name="evidence",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="scores",
                        to="evidence.evidence",
                        verbose_name="佐证材料",
                    ),
                ),
                migrations.DeleteModel(name="Evidence"),
                migrations.DeleteModel(name="EvidenceFile"),
            ],
            database_operations=[],
        ),
    ]
