"""Translations: complete catalogs for zh_Hans and en, and pages that follow the browser's language.

The catalogs live in src/qualitycity/locale; the .mo files are built by `make messages` and, when
missing or older than their .po, by the session fixture below.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGS = ("zh_Hans", "en")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Han characters, CJK punctuation (、。「」) and full-width forms (,:;()).
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# msgid → English, as shown to users.
KNOWN = {
    "考核评分体系": "Scoring framework",
    "牵头单位": "Lead unit",
    "配合单位": "Cooperating units",
    "创质办": "Campaign Office",
    "登录": "Log in",
}


def po_file(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def mo_file(lang: str) -> Path:
    return po_file(lang).with_suffix(".mo")


def _stale(lang: str) -> bool:
    mo = mo_file(lang)
    return not mo.exists() or mo.stat().st_mtime < po_file(lang).stat().st_mtime


@pytest.fixture(scope="session")
def compiled_messages() -> None:
    """Compile the project's catalogs when a .mo is missing or stale, then drop cached ones."""
    if any(_stale(lang) for lang in LANGS):
        # ignore_patterns=["*"]: compile LOCALE_PATHS only, without walking the working tree.
        call_command("compilemessages", locale=list(LANGS), ignore_patterns=["*"], verbosity=0)
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete(lang):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file(lang))],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "untranslated" not in output and "fuzzy" not in output, output
    match = re.search(r"(\d+) translated messages?", output)
    assert match, output
    assert int(match.group(1)) > 50


@pytest.mark.parametrize(
    ("lang", "plural_forms"),
    [("zh_Hans", "nplurals=1; plural=0;"), ("en", "nplurals=2; plural=(n != 1);")],
)
def test_catalog_header(lang, plural_forms):
    text = po_file(lang).read_text(encoding="utf-8")
    assert f'"Plural-Forms: {plural_forms}\\n"' in text
    assert "#, fuzzy" not in text


def _catalog(lang: str) -> dict:
    with mo_file(lang).open("rb") as fh:
        return stdlib_gettext.GNUTranslations(fh)._catalog


def test_chinese_catalog_repeats_its_msgids(compiled_messages):
    catalog = _catalog("zh_Hans")
    entries = {k: v for k, v in catalog.items() if k != ""}
    assert len(entries) > 50
    for key, value in entries.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # "context\x04msgid" for pgettext
        assert value == msgid, key


def test_english_catalog_keeps_placeholders(compiled_messages):
    catalog = _catalog("en")
    for key, value in catalog.items():
        if key == "":
            continue
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]
        assert value.strip(), key
        assert sorted(PLACEHOLDER.findall(value)) == sorted(PLACEHOLDER.findall(msgid)), key
        assert not CHINESE.search(value), (key, value)


def test_gettext_follows_the_active_language(compiled_messages):
    with translation.override("en"):
        for msgid, english in KNOWN.items():
            assert translation.gettext(msgid) == english
        assert translation.ngettext("%(n)s 个错误", "%(n)s 个错误", 1) == "%(n)s error"
        assert translation.ngettext("%(n)s 个错误", "%(n)s 个错误", 3) == "%(n)s errors"
    with translation.override("zh-hans"):
        for msgid in KNOWN:
            assert translation.gettext(msgid) == msgid
        assert translation.ngettext("%(n)s 个错误", "%(n)s 个错误", 3) == "%(n)s 个错误"


@pytest.mark.django_db
def test_login_page_in_english(client, compiled_messages):
    """English is chosen with the language switch (set_language sets the language cookie)."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="en"' in body
    assert KNOWN["登录"] in body and "Username" in body and "Password" in body
    assert "登录" not in body


@pytest.mark.django_db
def test_login_page_in_chinese(client, compiled_messages):
    response = client.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="zh-CN"' in body
    assert "登录" in body and "用户名" in body
    assert KNOWN["登录"] not in body


@pytest.mark.django_db
def test_the_browser_language_alone_keeps_chinese(client, compiled_messages):
    """Accept-Language is ignored (ChineseFirstMiddleware): English only through the switch."""
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert 'lang="zh-CN"' in body and "登录" in body
