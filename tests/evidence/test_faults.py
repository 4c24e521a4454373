"""Faults during an upload leave no partial record and, once swept, no orphan file: an exception
inside the service after the file is stored, an upload cut off mid-stream, and a database error
when the transaction commits. The sweep removes only blobs that no record names, and only once
they are older than the grace period."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone

from qualitycity.audit.models import AuditEvent
from qualitycity.evidence import files
from qualitycity.evidence import services as evidence_services
from qualitycity.evidence.models import Evidence, EvidenceFile
from tests.factories import named, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(days=2)


def upload(campaign, office, qzj, body: bytes = b"", name: str = "材料.pdf"):
    return evidence_services.upload_evidence(
        campaign,
        named(name, body or pdf_bytes("fault")),
        by=office,
        title="材料",
        unit=qzj,
        effective_date=dt.date(2018, 8, 1),
    )


def blobs(media) -> list:
    return [p for p in stored_files(media) if "/evidence/" in p.as_posix()]


def test_an_exception_in_the_service_leaves_no_record_and_the_sweep_removes_the_blob(
    media, campaign, office, qzj
):
    keep = upload(campaign, office, qzj, pdf_bytes("kept"), "保留.pdf")
    events = AuditEvent.objects.count()
    with mock.patch.object(evidence_services, "record", side_effect=RuntimeError("injected")):
        with pytest.raises(RuntimeError):
            upload(campaign, office, qzj, pdf_bytes("lost"))
    assert Evidence.objects.count() == 1 and EvidenceFile.objects.count() == 1
    assert AuditEvent.objects.count() == events
    assert len(blobs(media)) == 2  # the failed upload's blob is on disk, named by nothing
    # Within the grace period an upload may still be committing: nothing is removed.
    assert evidence_services.sweep_orphan_files(hours=24)["blobs"] == 0
    removed = evidence_services.sweep_orphan_files(now=timezone.now() + LATER, hours=24)
    assert removed["blobs"] == 1
    left = blobs(media)
    assert [p.name for p in left] == [keep.file.sha256]


@pytest.mark.django_db(transaction=True)
def test_a_database_error_at_commit_leaves_nothing_behind(media, campaign, office, qzj):
    """The transaction's COMMIT fails (a lost connection, a full disk): Django rolls back; no
    evidence, no file record, no audit event; the blob that was written is swept."""
    events = AuditEvent.objects.count()
    real_commit = connection.commit
    failed = []

    def commit_once_failing():
        if not failed:
            failed.append(True)
            raise DatabaseError("injected at commit")
        return real_commit()

    with mock.patch.object(connection, "commit", side_effect=commit_once_failing):
        with pytest.raises(DatabaseError):
            upload(campaign, office, qzj, pdf_bytes("commit"))
    assert failed
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert AuditEvent.objects.count() == events
    assert len(blobs(media)) == 1
    evidence_services.sweep_orphan_files(now=timezone.now() + LATER, hours=24)
    assert blobs(media) == []


def test_an_upload_cut_off_mid_stream_is_refused_and_leaves_nothing(
    media, campaign, office, qzj, liaison
):
    client = Client()
    client.force_login(liaison)
    boundary = "BoUnDaRy"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="campaign"\r\n\r\n'
        f"{campaign.pk}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body = head + pdf_bytes("half")[:20]  # no closing boundary: the client went away
    response = client.generic(
        "POST",
        "/evidence/upload/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert 400 <= response.status_code < 500
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert blobs(media) == []


def test_a_file_that_fails_while_streaming_leaves_no_temporary_file(media, campaign, office, qzj):
    class Broken:
        name = "断流.pdf"

        def chunks(self, size):
            yield pdf_bytes("start")
            raise OSError("connection reset")

    with pytest.raises(OSError):
        files.receive(Broken())
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert list((media / "tmp").iterdir()) == []
    assert blobs(media) == []


def test_the_sweep_removes_old_temporary_files_and_keeps_referenced_blobs(
    media, campaign, office, qzj
):
    kept = upload(campaign, office, qzj)
    tmp = media / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "leftover").write_bytes(b"partial")
    removed = evidence_services.sweep_orphan_files(now=timezone.now() + LATER, hours=24)
    assert removed == {"blobs": 0, "temporary": 1}
    assert [p.name for p in blobs(media)] == [kept.file.sha256]


def test_the_worker_sweep_includes_orphan_blobs(media, campaign, office, qzj, settings):
    from qualitycity.reports import jobs

    settings.QC_ORPHAN_HOURS = 0
    with mock.patch.object(evidence_services, "record", side_effect=RuntimeError("injected")):
        with pytest.raises(RuntimeError):
            upload(campaign, office, qzj)
    assert len(blobs(media)) == 1
    jobs.sweep_export_files.call()
    assert blobs(media) == []


def test_an_old_orphan_uploaded_again_is_written_afresh(media, campaign, office, qzj):
    """An orphan blob old enough for the sweep, then the same bytes uploaded again: the blob is
    written anew (its age restarts), so a sweep running while that upload commits keeps it."""
    import os
    import time

    body = pdf_bytes("again")
    with mock.patch.object(evidence_services, "record", side_effect=RuntimeError("injected")):
        with pytest.raises(RuntimeError):
            upload(campaign, office, qzj, body)
    [orphan] = blobs(media)
    old = time.time() - 3 * 24 * 3600
    os.utime(orphan, (old, old))
    evidence = upload(campaign, office, qzj, body)
    [blob] = blobs(media)
    assert blob.name == evidence.file.sha256 and blob.read_bytes() == body
    assert blob.stat().st_mtime > old + 24 * 3600
