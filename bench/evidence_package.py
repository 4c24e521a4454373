"""Time the evidence package (佐证材料包) of a round holding many real files.

Adds N evidence files of K KB (distinct contents, uploaded through evidence.services, linked to
the demo round and to rows of its table) to a demo instance of its own (var/bench-evidence, built
once), then runs the round-zip export as the worker does (reports.services.run_export) several
times: seconds, MB/s and the package's size, and the peak resident memory of this process before
and after (the package is streamed, so it should not grow with the files). Printed, not asserted.

    .venv/bin/python bench/evidence_package.py [--files 300] [--kb 512] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_pages import ROOT, setup


def add_files(rnd, office, count: int, kb: int) -> int:
    """Upload files until the round has `count` bench files; returns how many were added."""
    import datetime as dt
    import random

    from django.core.files.base import ContentFile

    from qualitycity.evidence.models import Evidence
    from qualitycity.evidence.services import upload_evidence
    from qualitycity.frameworks.models import Criterion
    from qualitycity.orgs.models import Unit

    have = Evidence.objects.filter(campaign=rnd.campaign, title__startswith="压测材料").count()
    rows = list(Criterion.objects.filter(framework=rnd.campaign.framework_id).order_by("pk"))
    unit = Unit.objects.filter(region=rnd.campaign.region_id).order_by("pk").first()
    rng = random.Random(have)
    for n in range(have, count):
        body = b"%PDF-1.4\n%" + rng.randbytes(kb * 1024) + b"\n%%EOF\n"
        ev = upload_evidence(
            rnd.campaign,
            ContentFile(body, name=f"bench-{n}.pdf"),
            by=office,
            title=f"压测材料{n}",
            unit=unit,
            effective_date=dt.date(2018, 8, 1),
            criteria=[rows[n % len(rows)]],
        )
        rnd.evidence.add(ev)
    return max(0, count - have)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--kb", type=int, default=512)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-evidence"))
    args = parser.parse_args()
    setup(Path(args.var_dir))

    from django.db import connection

    from qualitycity.assessments.models import Round
    from qualitycity.campaigns.models import Campaign
    from qualitycity.orgs.models import User
    from qualitycity.reports.models import ExportJob
    from qualitycity.reports.services import run_export, start_export

    office = User.objects.get(username="office")
    campaign = Campaign.objects.filter(region__code="431100").order_by("pk").first()
    rnd = Round.objects.filter(campaign=campaign).order_by("-start", "-pk").first()
    started = time.perf_counter()
    added = add_files(rnd, office, args.files, args.kb)
    if added:
        print(f"uploaded {added} files of {args.kb} KB in {time.perf_counter() - started:.1f} s")
    files = rnd.evidence.count()
    before = peak_rss_mb()
    times, size = [], 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        job = start_export(office, "round-zip", rnd.pk, {})
        status = run_export(job.pk)
        times.append(time.perf_counter() - t0)
        job = ExportJob.objects.get(pk=job.pk)
        assert status == "done", job.error
        size = job.size
    mb = size / 1024 / 1024
    print(f"{connection.vendor}; round {rnd.pk}: {files} evidence files, package {mb:.0f} MB")
    print(
        f"round-zip  median {statistics.median(times):.2f} s  min {min(times):.2f}  "
        f"max {max(times):.2f}  ({mb / statistics.median(times):.0f} MB/s)"
    )
    print(f"peak RSS of this process: {before:.0f} MB before the runs, {peak_rss_mb():.0f} after")
    print(f"(files under {os.environ['QC_VAR_DIR']})")


if __name__ == "__main__":
    main()
