"""Audit events of evidence recorded while it was part of the assessments app name it
"assessments.evidence" / "assessments.evidencefile"; they are relabelled so that one object's
history is under one name. Nothing else in an event changes."""

from django.db import migrations

RENAMES = {
    "assessments.evidence": "evidence.evidence",
    "assessments.evidencefile": "evidence.evidencefile",
}


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in RENAMES.items():
        AuditEvent.objects.filter(object_type=old).update(object_type=new)


def backwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in RENAMES.items():
        AuditEvent.objects.filter(object_type=new).update(object_type=old)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("audit", "0002_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
