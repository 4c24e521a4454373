"""Evidence becomes its own app. The tables stay where the assessments app made them
(assessments_evidence, assessments_evidencefile, assessments_evidence_criteria): this migration
only moves the models in Django's state; no data moves and no SQL runs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assessments", "0002_initial"),
        ("campaigns", "0004_campaign_reports_from"),
        ("frameworks", "0003_dimension_position"),
        ("orgs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EvidenceFile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "sha256",
                            models.CharField(max_length=64, unique=True, verbose_name="SHA-256"),
                        ),
                        ("size", models.PositiveBigIntegerField(verbose_name="大小(字节)")),
                        ("extension", models.CharField(max_length=10, verbose_name="文件类型")),
                        ("mime", models.CharField(max_length=120, verbose_name="MIME 类型")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="首次上传"),
                        ),
                    ],
                    options={
                        "verbose_name": "文件",
                        "verbose_name_plural": "文件",
                        "db_table": "assessments_evidencefile",
                    },
                ),
                migrations.CreateModel(
                    name="Evidence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "original_name",
                            models.CharField(max_length=255, verbose_name="原文件名"),
                        ),
                        ("title", models.CharField(max_length=300, verbose_name="标题")),
                        ("effective_date", models.DateField(verbose_name="材料日期")),
                        ("description", models.TextField(blank=True, verbose_name="说明")),
                        (
                            "uploaded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="上传时间"),
                        ),
                        (
                            "campaign",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="evidence",
                                to="campaigns.campaign",
                                verbose_name="创建工作",
                            ),
                        ),
                        (
                            "criteria",
                            models.ManyToManyField(
                                blank=True,
                                db_table="assessments_evidence_criteria",
                                related_name="evidence",
                                to="frameworks.criterion",
                                verbose_name="关联评分细则",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="evidence",
                                to="orgs.unit",
                                verbose_name="提供单位",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="上传人",
                            ),
                        ),
                        (
                            "file",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="uses",
                                to="evidence.evidencefile",
                                verbose_name="文件",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "佐证材料",
                        "verbose_name_plural": "佐证材料",
                        "db_table": "assessments_evidence",
                        "ordering": ["-uploaded_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["campaign", "effective_date"], name="evidence_date_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
