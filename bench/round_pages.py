"""Time the scoring workspace and the pages that list a round's scores, on the demo data.

Prints the median and spread of wall time per page over several runs and the number of SQL
queries per request, measured through Django's test client (no network, no browser).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="No directory at")

    tmp = tempfile.mkdtemp(prefix="qc-bench-")
    os.environ.setdefault("QC_VAR_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qualitycity.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qualitycity.assessments.models import Round
    from qualitycity.orgs.models import User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("setup_demo", stdout=open(os.devnull, "w"))
    print(f"demo data: {time.perf_counter() - started:.2f} s ({connection.vendor})")

    rnd = Round.objects.get(kind="self")
    client = Client()
    client.force_login(User.objects.get(username="expert"))
    pages = {f"workspace dim={d}": f"/rounds/{rnd.pk}/score/?dim={d}" for d in (1, 3, 4, 8)}
    pages["round summary"] = f"/rounds/{rnd.pk}/"
    pages["gap list"] = f"/rounds/{rnd.pk}/gaps/"

    print(f"{'page':<20} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'queries':>8}")
    for name, url in pages.items():
        client.get(url)  # warm caches (templates, translations)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        print(
            f"{name:<20} {statistics.median(times):>10.1f} {min(times):>8.1f} {max(times):>8.1f}"
            f" {len(ctx.captured_queries):>8}"
        )


if __name__ == "__main__":
    main()
