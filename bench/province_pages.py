"""The hot pages at province scale, through the real app server (gunicorn, DEBUG off, loopback).

Builds (or reuses) the province dataset (bench/province.py), starts gunicorn on it and times each
page and endpoint several times as the persona who uses it: the scoring workspace of the demo's
open round (the expert), saving one score there (htmx, as the page posts it), the round summary
(its totals), the comparison of two rounds and the gap list, the cockpit and the supervision board
of 永州市's campaign, the league table of all 136 campaigns (page and API, the province office)
and the evidence list over 200,000 records (the province office). For the hot pages it also
times raw SQL that returns the same rows on the bench's open connection and prints the ratio;
the anonymous redirect to the login page is the HTTP floor. Figures are printed, never asserted.

    .venv/bin/python bench/province_pages.py --runs 15
    DATABASE_URL=postgres://localhost/qc_bench .venv/bin/python bench/province_pages.py
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.http_pages import Server, session_cookie, timed  # noqa: E402
from bench.province import PROVINCE_TODAY, build  # noqa: E402


def raw(sql: str, params: list) -> Callable[[], object]:
    """The SQL on the bench process's open connection (rows fetched, not turned into objects)."""
    from django.db import connection

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-province"))
    parser.add_argument("--pages", default="", help="comma-separated names (default: all)")
    args = parser.parse_args()
    var_dir = Path(args.var_dir)
    counts = build(var_dir)

    from django.db import connection

    from qualitycity.assessments.models import Round, Score
    from qualitycity.campaigns.models import Campaign
    from qualitycity.frameworks.models import Criterion

    demo = Campaign.objects.filter(region__code="431100").order_by("pk").first()
    rnd = (
        Round.objects.filter(campaign=demo, status="open", assessors__username="expert")
        .order_by("-start")
        .first()
    )
    other = Round.objects.filter(campaign=demo).exclude(pk=rnd.pk).order_by("-start").first()
    manual = next(
        c
        for c in Criterion.objects.filter(framework_id=demo.framework_id).order_by("position")
        if c.rule.get("type") == "manual" and Score.objects.filter(round=rnd, criterion=c).exists()
    )
    cookies = {u: session_cookie(u) for u in ("office", "leader", "expert", "province")}
    r, c = rnd.pk, demo.pk
    pages: dict[str, tuple[str, str]] = {
        "login redirect (floor)": ("", "/"),
        "workspace, one dimension": ("expert", f"/rounds/{r}/score/?dim=1"),
        "workspace, dimension 3": ("expert", f"/rounds/{r}/score/?dim=3"),
        "round summary (totals)": ("office", f"/rounds/{r}/"),
        "compare two rounds": ("office", f"/rounds/compare/?a={other.pk}&b={r}"),
        "gap list": ("office", f"/rounds/{r}/gaps/"),
        "cockpit": ("leader", f"/cockpit/{c}/"),
        "board": ("office", f"/campaigns/{c}/board/"),
        "league (136 campaigns)": ("province", "/league/"),
        "league API": ("province", "/api/v1/league?limit=200"),
        "evidence list (200,000)": ("province", "/evidence/"),
        "round API (totals)": ("office", f"/api/v1/rounds/{r}"),
    }
    wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
    server = Server(var_dir, args.workers, today=PROVINCE_TODAY.isoformat())
    results: dict[str, float] = {}
    try:
        print(
            f"{connection.vendor}, gunicorn {args.workers} sync workers, {args.runs} runs; "
            f"{counts['campaigns']} campaigns, {counts['tasks']:,} tasks, "
            f"{counts['evidence']:,} evidence; demo campaign: {demo.tasks.count():,} tasks"
        )
        print(f"{'page':<28} {'status':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8}")

        def line(name: str, status: object, times: list[float]) -> None:
            results[name] = statistics.median(times)
            print(
                f"{name:<28} {status!s:>6} {statistics.median(times):>10.1f} "
                f"{min(times):>8.1f} {max(times):>8.1f}",
                flush=True,
            )

        for name, (user, path) in pages.items():
            if wanted and not any(w in name for w in wanted):
                continue
            cookie = cookies.get(user, "")
            status, _size = server.get(path, cookie)
            line(name, status, timed(lambda p=path, k=cookie: server.get(p, k), args.runs))

        if not wanted or any("save" in w for w in wanted):
            status, body, headers = server.request(
                "GET", f"/rounds/{r}/score/?dim=1", cookies["expert"]
            )
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            csrf = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v)
            cookie = f"{cookies['expert']}; {csrf.split(';')[0]}"
            values = [str(manual.max_points), str(manual.max_points / 2)]
            times = []
            for n in range(args.runs + 1):
                version = Score.objects.get(round=rnd, criterion=manual).version
                form = f"value={values[n % 2]}&version={version}&csrfmiddlewaretoken="
                t0 = time.perf_counter()
                status, _body, _h = server.request(
                    "POST",
                    f"/rounds/{r}/score/{manual.pk}/",
                    cookie,
                    form.encode() + token,
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "HX-Request": "true",
                    },
                )
                if n:
                    times.append((time.perf_counter() - t0) * 1000)
            line("save one score (htmx)", status, times)

        print()
        print(f"{'raw SQL (open connection)':<28} {'':>6} {'median ms':>10} {'page/SQL':>8}")
        floor = results.get("login redirect (floor)", 0.0)
        sqls = {
            "workspace, one dimension": raw(
                "SELECT c.id, c.key, c.text, c.max_points, c.rule, s.points, s.value, s.version,"
                " s.na_status FROM frameworks_criterion c JOIN frameworks_item i ON i.id = c.item_id"
                " JOIN frameworks_dimension d ON d.id = i.dimension_id"
                " LEFT JOIN assessments_score s ON s.criterion_id = c.id AND s.round_id = %s"
                " WHERE c.framework_id = %s AND d.number = 1 ORDER BY c.position",
                [r, demo.framework_id],
            ),
            "round summary (totals)": raw(
                "SELECT s.criterion_id, s.points, s.na_status FROM assessments_score s"
                " WHERE s.round_id = %s",
                [r],
            ),
            "board": raw(
                "SELECT t.id, t.unit_id, t.role, t.phase_id, t.start, t.due, t.progress, t.status,"
                " (SELECT COUNT(*) FROM campaigns_progressreport p WHERE p.task_id = t.id"
                " AND p.submitted_at IS NOT NULL) FROM campaigns_task t"
                " WHERE t.campaign_id = %s AND t.status != 'cancelled'",
                [c],
            ),
            "league (136 campaigns)": raw(
                "SELECT s.round_id, SUM(s.points) FROM assessments_score s"
                " JOIN assessments_round r ON r.id = s.round_id"
                " WHERE r.id IN (SELECT MAX(id) FROM assessments_round GROUP BY campaign_id)"
                " GROUP BY s.round_id",
                [],
            ),
            "evidence list (200,000)": raw(
                "SELECT e.id, e.title, e.effective_date, e.unit_id FROM assessments_evidence e"
                " ORDER BY e.effective_date DESC, e.id DESC LIMIT 50",
                [],
            ),
        }
        for name, fn in sqls.items():
            if name not in results:
                continue
            sql_ms = statistics.median(timed(fn, args.runs))
            ratio = results[name] / (sql_ms + floor) if sql_ms + floor else 0
            print(f"{name:<28} {'':>6} {sql_ms:>10.2f} {ratio:>7.1f}x  (page / (SQL + floor))")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
