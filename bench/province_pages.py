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


def query_count(username: str, path: str) -> int | str:
    """The queries one request of the page makes, counted in this process through Django's test
    client on the same database (the server's own figures carry no counter)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qualitycity import clock
    from qualitycity.orgs.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    with clock.pinned(PROVINCE_TODAY):
        client.get(path)  # warm this process's caches, as a worker's are
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
    return len(ctx.captured_queries)


def raws(*fns: Callable[[], object]) -> Callable[[], object]:
    """Several statements that together answer one page."""
    return lambda: [fn() for fn in fns]


def worker_pids(master: int) -> list[int]:
    """gunicorn's worker processes (the master's children)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def upload(
    server: Server, cookie: str, fields: dict[str, str], size: int
) -> tuple[int, float, int]:
    """POST one `size`-byte PDF to the evidence upload form, streamed from a file on disk as a
    browser sends it. Returns the status, the seconds it took and the largest growth of a
    worker's peak memory (KB) over its resident size before (the peak is reset first)."""
    import os
    import tempfile
    import uuid

    boundary = uuid.uuid4().hex
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as fh:
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        block = os.urandom(1 << 20)
        written = fh.tell()
        while written < size:
            piece = block[: size - written]
            fh.write(piece)
            written += len(piece)
        path = fh.name
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="bench-200mb.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                yield chunk
        yield tail

    pids = worker_pids(server.proc.pid)
    before = {}
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
        before[pid] = memory_kb(pid, "VmRSS")
    t0 = time.perf_counter()
    status, _body, _h = server.request(
        "POST",
        "/evidence/upload/",
        cookie,
        body(),
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        },
    )
    seconds = time.perf_counter() - t0
    growth = max(memory_kb(pid, "VmHWM") - before[pid] for pid in pids)
    Path(path).unlink()
    return status, seconds, growth


def load_run(server: Server, config: dict, users: int, seconds: int) -> dict[str, dict]:
    """Locust, headless, on loopback: `users` users for `seconds`; its per-name and aggregated
    figures from the CSV it writes."""
    import csv
    import json
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / "load")
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{server.port}",
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            env={**os.environ, "QC_LOAD": json.dumps(config)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(prefix + "_stats.csv", newline="") as fh:
            return {row["Name"]: row for row in csv.DictReader(fh)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-province"))
    parser.add_argument("--pages", default="", help="comma-separated names (default: all)")
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--load-users", type=int, default=20)
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args()
    var_dir = Path(args.var_dir)
    counts = build(var_dir)

    from qualitycity.dbstats import refresh_statistics

    refresh_statistics()  # as the daily sweep keeps them

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
        "workspace, all 125 rows": ("expert", f"/rounds/{r}/score/?dim=all"),
        "round summary (totals)": ("office", f"/rounds/{r}/"),
        "compare two rounds": ("office", f"/rounds/compare/?a={other.pk}&b={r}"),
        "gap list": ("office", f"/rounds/{r}/gaps/"),
        "cockpit": ("leader", f"/cockpit/{c}/"),
        "board": ("office", f"/campaigns/{c}/board/"),
        "league (136 campaigns)": ("province", "/league/"),
        "league API": ("province", "/api/v1/league?limit=200"),
        "evidence list (200,000)": ("province", "/evidence/"),
        "round API (totals)": ("office", f"/api/v1/rounds/{r}"),
        "round xlsx (scoring table)": ("office", f"/exports/round-xlsx/{r}/"),
        "round docx (self report)": ("office", f"/exports/round-docx/{r}/"),
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
        print(
            f"{'page':<28} {'status':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8} "
            f"{'queries':>8}"
        )

        def line(name: str, status: object, times: list[float], queries: object = "") -> None:
            results[name] = statistics.median(times)
            print(
                f"{name:<28} {status!s:>6} {statistics.median(times):>10.1f} "
                f"{min(times):>8.1f} {max(times):>8.1f} {queries!s:>8}",
                flush=True,
            )

        for name, (user, path) in pages.items():
            if wanted and not any(w in name for w in wanted):
                continue
            cookie = cookies.get(user, "")
            status, _size = server.get(path, cookie)
            times = timed(lambda p=path, k=cookie: server.get(p, k), args.runs)
            line(name, status, times, query_count(user, path))

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

        def wants(name: str) -> bool:
            return not wanted or any(w in name for w in wanted)

        if wants("round pdf"):
            from qualitycity.orgs.models import User
            from qualitycity.reports.services import run_export, start_export

            office = User.objects.get(username="office")
            times = []
            for _ in range(max(3, args.runs // 5)):
                t0 = time.perf_counter()
                job = start_export(office, "round-pdf", r, {})
                status = run_export(job.pk)
                times.append((time.perf_counter() - t0) * 1000)
            line("round pdf (worker job)", status, times)

        if wants("upload"):
            from qualitycity.evidence.models import Evidence
            from qualitycity.orgs.models import Unit

            unit = Unit.objects.filter(region=demo.region, is_active=True).order_by("pk").first()
            status, body, headers = server.request("GET", "/evidence/upload/", cookies["office"])
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            csrf = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v)
            fields = {
                "csrfmiddlewaretoken": token.decode(),
                "campaign": str(c),
                "title": "bench upload",
                "unit": str(unit.pk),
                "effective_date": PROVINCE_TODAY.isoformat(),
            }
            size = args.upload_mb * 1_000_000
            known = set(Evidence.objects.filter(title="bench upload").values_list("pk", flat=True))
            status, seconds, growth = upload(
                server, f"{cookies['office']}; {csrf.split(';')[0]}", fields, size
            )
            Evidence.objects.filter(title="bench upload").exclude(pk__in=known).delete()
            print(
                f"{'upload ' + str(args.upload_mb) + ' MB evidence':<28} {status!s:>6} "
                f"{seconds * 1000:>10.1f}   worker peak memory +{growth / 1024:.1f} MB",
                flush=True,
            )

        if wants("load"):
            from qualitycity.assessments.models import Score as S

            rows = []
            for score in (
                S.objects.filter(round=rnd, criterion__rule__type="manual")
                .select_related("criterion")
                .order_by("criterion__position")
            ):
                top = score.criterion.max_points
                rows.append(
                    {
                        "criterion": score.criterion_id,
                        "version": score.version,
                        "values": [str(top), "0"],
                    }
                )
            status, body, headers = server.request(
                "GET", f"/rounds/{r}/score/?dim=1", cookies["expert"]
            )
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            csrf = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v)
            config = {
                "cookies": cookies,
                "round": r,
                "other": other.pk,
                "campaign": c,
                "rows": rows,
                "csrf_token": token.decode(),
                "csrf_cookie": csrf.split(";")[0],
            }
            stats = load_run(server, config, args.load_users, args.load_seconds)
            print()
            print(
                f"load: {args.load_users} users, {args.load_seconds} s, no pause, "
                f"{len(rows)} rows saved by turns"
            )
            print(
                f"{'request':<28} {'count':>7} {'errors':>6} {'req/s':>7} "
                f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
            )
            for name, row in stats.items():
                print(
                    f"{name or 'all':<28} {row['Request Count']:>7} {row['Failure Count']:>6} "
                    f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7} "
                    f"{row['99%']:>7}",
                    flush=True,
                )

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
            "evidence list (200,000)": raws(
                raw(
                    "SELECT e.id, e.title, e.effective_date, e.uploaded_at, u.name, f.size"
                    " FROM assessments_evidence e JOIN orgs_unit u ON u.id = e.unit_id"
                    " JOIN assessments_evidencefile f ON f.id = e.file_id"
                    " ORDER BY e.uploaded_at DESC, e.id DESC LIMIT 50",
                    [],
                ),
                raw("SELECT COUNT(*) FROM assessments_evidence", []),
            ),
            "workspace, all 125 rows": raw(
                "SELECT c.id, c.key, c.text, c.max_points, c.rule, s.points, s.value, s.version,"
                " s.na_status FROM frameworks_criterion c"
                " LEFT JOIN assessments_score s ON s.criterion_id = c.id AND s.round_id = %s"
                " WHERE c.framework_id = %s ORDER BY c.position",
                [r, demo.framework_id],
            ),
            "compare two rounds": raw(
                "SELECT s.criterion_id, s.round_id, s.points, s.na_status FROM assessments_score s"
                " WHERE s.round_id IN (%s, %s)",
                [other.pk, r],
            ),
            "gap list": raw(
                "SELECT c.id, c.key, c.max_points, s.points,"
                " (SELECT COUNT(*) FROM assessments_finding f WHERE f.round_id = s.round_id"
                " AND f.criterion_id = c.id) FROM assessments_score s"
                " JOIN frameworks_criterion c ON c.id = s.criterion_id"
                " WHERE s.round_id = %s AND (s.points IS NULL OR s.points < c.max_points)",
                [r],
            ),
            "cockpit": raws(
                raw(
                    "SELECT t.status, t.role, COUNT(*), SUM(t.progress) FROM campaigns_task t"
                    " WHERE t.campaign_id = %s GROUP BY t.status, t.role",
                    [c],
                ),
                raw(
                    "SELECT s.criterion_id, s.points FROM assessments_score s"
                    " WHERE s.round_id = %s",
                    [r],
                ),
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
