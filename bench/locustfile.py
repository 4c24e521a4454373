"""The bounded load run of bench/province_pages.py: mixed reads and score saves through gunicorn.

Started by province_pages.py (`locust --headless`, loopback only), which passes what the users
need in QC_LOAD (JSON): the signed-in session cookies, the round, the campaign, the rounds to
compare, a CSRF cookie and token for the expert, and one manual row per user with its score's
version, so that no two users save the same row and no save is refused as stale. Each user
loops without pause over the pages the office, the expert and the province use, weighted as
they are used; about one request in seven is a save.
"""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import FastHttpUser, constant, task

CONFIG = json.loads(os.environ.get("QC_LOAD", "{}"))
VERSION = re.compile(rb'name="version" value="(\d+)"')
_slots = itertools.count()


class Staff(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        rows = CONFIG["rows"]
        self.row = dict(rows[next(_slots) % len(rows)])
        self.flip = 0

    def _get(self, persona: str, path: str, name: str) -> None:
        self.client.get(path, headers={"Cookie": CONFIG["cookies"][persona]}, name=name)

    @task(3)
    def workspace(self) -> None:
        self._get("expert", f"/rounds/{CONFIG['round']}/score/?dim=1", "workspace")

    @task(2)
    def round_summary(self) -> None:
        self._get("office", f"/rounds/{CONFIG['round']}/", "round summary")

    @task(1)
    def compare(self) -> None:
        self._get("office", f"/rounds/compare/?a={CONFIG['other']}&b={CONFIG['round']}", "compare")

    @task(1)
    def gaps(self) -> None:
        self._get("office", f"/rounds/{CONFIG['round']}/gaps/", "gap list")

    @task(1)
    def board(self) -> None:
        self._get("office", f"/campaigns/{CONFIG['campaign']}/board/", "board")

    @task(1)
    def cockpit(self) -> None:
        self._get("leader", f"/cockpit/{CONFIG['campaign']}/", "cockpit")

    @task(1)
    def evidence(self) -> None:
        self._get("province", "/evidence/", "evidence list")

    @task(1)
    def league(self) -> None:
        self._get("province", "/api/v1/league?limit=200", "league API")

    @task(2)
    def save(self) -> None:
        row = self.row
        self.flip ^= 1
        value = row["values"][self.flip]
        with self.client.post(
            f"/rounds/{CONFIG['round']}/score/{row['criterion']}/",
            data=(
                f"value={value}&version={row['version']}&csrfmiddlewaretoken={CONFIG['csrf_token']}"
            ),
            headers={
                "Cookie": f"{CONFIG['cookies']['expert']}; {CONFIG['csrf_cookie']}",
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
            },
            name="save one score",
            catch_response=True,
        ) as response:
            found = VERSION.search(response.content or b"")
            if found:  # the row comes back with its new version (or, if refused, the current one)
                row["version"] = int(found.group(1))
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
