"""Time pages through the real app server: gunicorn (sync workers, DEBUG off) over loopback.

Builds the demo data of `make run` once into a cached folder (var/bench-demo, or --var-dir; it is
reused while it holds the demo campaign), starts gunicorn on it, signs each persona in by a session
made in the database, and times each page several times. For the supervision board it also times
the raw SQL that returns the same rows (on a new SQLite connection) and prints the ratio; the
anonymous redirect to the login page is the HTTP floor. Figures are printed, never asserted.

    .venv/bin/python bench/http_pages.py               # every page, 15 runs each
    .venv/bin/python bench/http_pages.py --runs 21 --pages board,cockpit

PostgreSQL: set DATABASE_URL to a scratch database (its tables are rebuilt when empty).
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEMO_TODAY = "2018-09-15"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(var_dir: Path) -> None:
    os.environ["QC_VAR_DIR"] = str(var_dir)
    os.environ["QC_TODAY"] = DEMO_TODAY
    os.environ["DJANGO_SETTINGS_MODULE"] = "qualitycity.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from qualitycity.campaigns.models import Campaign

    var_dir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    if not Campaign.objects.exists():
        started = time.perf_counter()
        call_command("setup_demo", stdout=open(os.devnull, "w"))
        print(f"demo data built in {time.perf_counter() - started:.1f} s")


def session_cookie(username: str) -> str:
    """A signed-in session for `username`, written to the database as a login would."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from qualitycity.orgs.models import User

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Server:
    def __init__(self, var_dir: Path, workers: int, today: str = DEMO_TODAY) -> None:
        self.port = free_port()
        env = {**os.environ, "QC_VAR_DIR": str(var_dir), "QC_TODAY": today, "QC_DEBUG": "0"}
        env["PYTHONPATH"] = str(ROOT / "src")
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "qualitycity.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.get("/login/")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def get(self, path: str, cookie: str = "") -> tuple[int, int]:
        status, body, _headers = self.request("GET", path, cookie)
        return status, len(body)

    def request(
        self,
        method: str,
        path: str,
        cookie: str = "",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, list[tuple[str, str]]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        sent = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, data, response.getheaders()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm: templates, translations, the worker's first connection
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def board_sql(db: Path, campaign_id: int) -> Callable[[], object]:
    """The rows the board reads, as raw SQL on a new connection (its floor)."""

    def run() -> object:
        conn = sqlite3.connect(db)
        tasks = conn.execute(
            "SELECT id, unit_id, role, criterion_id, measure_id, phase_id, start, due, progress,"
            " status FROM campaigns_task WHERE campaign_id = ? AND status != 'cancelled'",
            (campaign_id,),
        ).fetchall()
        reports = conn.execute(
            "SELECT r.task_id, r.period_start, r.submitted_at FROM campaigns_progressreport r"
            " JOIN campaigns_task t ON t.id = r.task_id"
            " WHERE t.campaign_id = ? AND r.submitted_at IS NOT NULL",
            (campaign_id,),
        ).fetchall()
        conn.close()
        return len(tasks) + len(reports)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-demo"))
    parser.add_argument("--pages", default="", help="comma-separated names (default: all)")
    args = parser.parse_args()
    var_dir = Path(args.var_dir) if args.var_dir else Path(tempfile.mkdtemp(prefix="qc-bench-"))
    setup(var_dir)

    from django.db import connection

    from qualitycity.campaigns.models import Campaign

    campaign = Campaign.objects.filter(region__code="431100").order_by("pk").first()
    assert campaign is not None, "no demo campaign"
    cookies = {u: session_cookie(u) for u in ("office", "leader", "liaison", "expert")}
    pk = campaign.pk
    pages: dict[str, tuple[str, str]] = {
        "login redirect (floor)": ("", "/"),
        "board": ("office", f"/campaigns/{pk}/board/"),
        "board yellow p2": ("office", f"/campaigns/{pk}/board/?colour=yellow&page=2"),
        "cockpit": ("leader", f"/cockpit/{pk}/"),
        "home office": ("office", "/"),
        "home leader": ("leader", "/"),
        "home liaison": ("liaison", "/"),
        "my tasks liaison": ("liaison", "/campaigns/my/"),
    }
    wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
    server = Server(var_dir, args.workers)
    try:
        print(
            f"{connection.vendor}, gunicorn {args.workers} sync workers, {args.runs} runs; "
            f"campaign {campaign.name}: {campaign.tasks.count()} tasks"
        )
        print(f"{'page':<26} {'status':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
        results: dict[str, float] = {}
        for name, (user, path) in pages.items():
            if wanted and not any(w in name for w in wanted):
                continue
            cookie = cookies.get(user, "")
            status, _size = server.get(path, cookie)
            times = timed(lambda p=path, c=cookie: server.get(p, c), args.runs)
            results[name] = statistics.median(times)
            print(
                f"{name:<26} {status:>6} {statistics.median(times):>10.1f} "
                f"{min(times):>8.1f} {max(times):>8.1f}"
            )
        if connection.vendor == "sqlite" and "board" in results:
            sql = timed(board_sql(Path(connection.settings_dict["NAME"]), pk), args.runs)
            floor = statistics.median(sql)
            print(f"{'board raw SQL':<26} {'':>6} {floor:>10.1f} {min(sql):>8.1f} {max(sql):>8.1f}")
            print(f"board / its raw SQL: {results['board'] / floor:.1f}x")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
