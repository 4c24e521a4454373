"""Time every export of the demo's documents through the real app server (gunicorn over loopback).

Small kinds are downloaded over HTTP as the office (median, min and max of several runs, with the
file's size); background kinds (the evidence package, the report as PDF) are queued and run by
the same function the worker runs (`reports.services.run_export`), timed from start to file. Uses
the demo data of bench/http_pages.py (built once into var/bench-demo). Printed, never asserted.

    .venv/bin/python bench/exports.py [--runs 5] [--kinds round-xlsx,round-docx]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_pages import ROOT, Server, session_cookie, setup, timed


def targets() -> dict[str, tuple[int, str]]:
    """Each `what` of the registry → (the demo object's id, query string)."""
    from qualitycity.assessments.models import Round
    from qualitycity.campaigns.models import Campaign, Meeting, SupervisionNotice

    campaign = Campaign.objects.filter(region__code="431100").order_by("pk").first()
    round_ = Round.objects.filter(campaign=campaign).order_by("-start", "-pk").first()
    notice = SupervisionNotice.objects.filter(campaign=campaign).order_by("pk").first()
    meeting = Meeting.objects.filter(campaign=campaign).order_by("pk").first()
    return {
        "round": (round_.pk, ""),
        "notice": (notice.pk if notice else 0, ""),
        "minutes": (meeting.pk if meeting else 0, ""),
        "bulletin": (campaign.pk, "?period=2018-08"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-demo"))
    parser.add_argument("--kinds", default="", help="comma-separated keys (default: all)")
    args = parser.parse_args()
    setup(Path(args.var_dir))

    from django.db import connection

    from qualitycity.orgs.models import User
    from qualitycity.reports.exports import REGISTRY
    from qualitycity.reports.models import ExportJob
    from qualitycity.reports.services import run_export, start_export

    wanted = {k.strip() for k in args.kinds.split(",") if k.strip()}
    objects = targets()
    office = User.objects.get(username="office")
    cookie = session_cookie("office")
    server = Server(Path(args.var_dir), args.workers)
    try:
        print(f"{connection.vendor}, gunicorn {args.workers} sync workers, {args.runs} runs")
        print(
            f"{'export':<16} {'how':<8} {'status':>6} {'KB':>8} {'median s':>9} {'min s':>7} {'max s':>7}"
        )
        for key, kind in sorted(REGISTRY.items()):
            what = key.split("-", 1)[0]
            if (wanted and key not in wanted) or what not in objects or not objects[what][0]:
                continue
            pk, query = objects[what]
            if not kind.background:
                path = f"/exports/{key}/{pk}/{query}"
                status, size = server.get(path, cookie)
                times = timed(lambda p=path: server.get(p, cookie), args.runs)
                how = "http"
            else:
                params = dict(p.split("=", 1) for p in query.lstrip("?").split("&") if p)
                times, size, status = [], 0, 0
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    job = start_export(office, key, pk, params)
                    status = run_export(job.pk)
                    times.append((time.perf_counter() - t0) * 1000)
                    size = ExportJob.objects.get(pk=job.pk).size
                how = "worker"
            secs = [t / 1000 for t in times]
            print(
                f"{key:<16} {how:<8} {status!s:>6} {size / 1024:>8.0f} "
                f"{statistics.median(secs):>9.3f} {min(secs):>7.3f} {max(secs):>7.3f}"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
