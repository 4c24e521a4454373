"""Security settings that hold for every page: no-store caching for signed-in pages, the server's
own request ids, a secret key never taken from the repository, a clean `check --deploy` in
production, and an admin only for staff with permissions in it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qualitycity.audit.models import AuditEvent
from qualitycity.orgs.models import User

pytestmark = pytest.mark.django_db

QC = str(Path(sys.executable).with_name("qualitycity"))


def test_signed_in_pages_are_never_stored(client, office):
    client.force_login(office)
    response = client.get("/")
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= cache


def test_the_request_id_is_the_servers_own(client, office):
    client.force_login(office)
    response = client.post("/campaigns/notifications/", HTTP_X_REQUEST_ID="chosenbyclient")
    assert response["X-Request-ID"] != "chosenbyclient"
    assert len(response["X-Request-ID"]) >= 16
    assert not AuditEvent.objects.filter(request_id="chosenbyclient").exists()


def _settings_key(var_dir: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("QC_")}
    return subprocess.run(
        [sys.executable, "-c", "from qualitycity import settings; print(settings.SECRET_KEY)"],
        env={**clean, "QC_VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
    )


def test_without_qc_secret_key_a_random_key_is_made_once_and_kept(tmp_path):
    first = _settings_key(tmp_path)
    second = _settings_key(tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert key == second.stdout.strip() and len(key) >= 50
    assert "insecure" not in key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert _settings_key(tmp_path / "other").stdout.strip() != key


def test_a_production_site_can_refuse_to_start_without_a_key(tmp_path):
    refused = _settings_key(tmp_path, QC_REQUIRE_SECRET_KEY="1")
    assert refused.returncode != 0 and "QC_SECRET_KEY must be set" in refused.stderr


def _deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("QC_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    return subprocess.run(
        [QC, "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "QC_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
    )


def test_a_production_configuration_passes_check_deploy(tmp_path):
    production = {
        "QC_SECRET_KEY": "k" * 20 + "Xy9-" * 10,
        "QC_ALLOWED_HOSTS": "cz.yongzhou.example",
        "QC_SECURE_COOKIES": "1",
    }
    result = _deploy_check(tmp_path, **production)
    assert result.returncode == 0, result.stdout + result.stderr
    missing_key = _deploy_check(tmp_path, **{**production, "QC_SECRET_KEY": ""})
    assert missing_key.returncode != 0 and "qualitycity.W001" in missing_key.stderr


def test_staff_without_permissions_do_not_reach_the_admin(client, orgs):
    staff = User.objects.create_user(username="t-staff", password="x-Long-pass-1", is_staff=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_with_a_permission_and_superusers_do(client, admin_user):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user(username="t-viewer", password="x-Long-pass-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_unit"))
    client.force_login(viewer)
    assert client.get("/admin/").status_code == 200
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_every_page_carries_a_strict_content_security_policy(client, office):
    client.force_login(office)
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_no_template_needs_inline_script_or_style():
    """What the policy would block: inline <script> and <style>, style="" and on…="" attributes,
    javascript: links. (The browser tests also fail on any violation they meet.) The documents
    WeasyPrint renders into PDFs carry their own <style>; no page serves them."""
    import re

    root = Path(__file__).resolve().parents[2] / "src" / "qualitycity"
    patterns = {
        "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
        "style element": re.compile(r"<style\b", re.I),
        "style attribute": re.compile(r"\sstyle\s*=", re.I),
        "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
        "javascript: url": re.compile(r"javascript:", re.I),
    }
    found = []
    for template in root.rglob("templates/**/*.html"):
        if "documents" in template.parts:
            continue  # PDF sources (reports/documents/): WeasyPrint renders them, no browser does
        text = template.read_text(encoding="utf-8")
        for what, pattern in patterns.items():
            if pattern.search(text):
                found.append(f"{template.relative_to(root)}: {what}")
    assert found == []


def test_a_sign_in_lasts_a_working_day_and_ends_with_the_browser(client, office):
    from tests.factories import PASSWORD

    response = client.post("/login/", {"username": office.username, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= 8 * 3600
