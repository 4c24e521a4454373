"""The English catalogue covers what users read: every model's name and field labels, every
choice label, every template string. A string added without its translation fails here, with
the missing msgids listed (the catalogue check in test_i18n.py only sees strings already in
the .po files).

A label is translated when the English catalogue has an entry for its msgid; for a msgid with
Chinese characters the English must differ from it (and, test_i18n checks, contain none).
"""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation.template import templatize

import qualitycity
from tests.test_i18n import CHINESE, compiled_messages, mo_file  # noqa: F401 (fixture)

SRC = Path(qualitycity.__file__).parent
# Marked for translation, and the same in every language.
NEUTRAL = {"SHA-256"}


@pytest.fixture(scope="module")
def english(compiled_messages) -> dict:  # noqa: F811
    with mo_file("en").open("rb") as fh:
        return stdlib_gettext.GNUTranslations(fh)._catalog


def _msgid(label: object) -> tuple[str | None, str] | None:
    """(context, msgid) of a lazy translation; None for a plain string (not translatable)."""
    if not isinstance(label, Promise):
        return None
    func = label._args  # (msgid,) or (context, msgid): the arguments of gettext_lazy
    if len(func) == 2:
        return func[0], func[1]
    return None, func[0]


def _missing(english: dict, found: dict[tuple[str | None, str], str]) -> list[str]:
    """Chinese msgids without an English entry (or with the msgid as English); English msgids
    (Django's own, e.g. AbstractUser's "username") that do not come out Chinese in Chinese."""
    out = []
    for (context, msgid), where in sorted(found.items(), key=lambda kv: kv[1]):
        label = f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
        if msgid in NEUTRAL:
            continue
        if not CHINESE.search(msgid):
            with translation.override("zh-hans"):
                shown = translation.pgettext(context, msgid) if context else gettext(msgid)
            if not CHINESE.search(shown):
                out.append(label + " (no Chinese either)")
            continue
        key = f"{context}\x04{msgid}" if context else msgid
        value = english.get(key)
        if value is None and (key, 0) in english:
            value = english[(key, 0)]
        if value is None or value == msgid:
            out.append(label)
    return out


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("qualitycity.")]


def test_every_model_and_field_label_is_translated(english):
    found: dict[tuple[str | None, str], str] = {}
    untranslatable = []
    for model in _project_models():
        name = model._meta.label
        for attr in ("verbose_name", "verbose_name_plural"):
            label = getattr(model._meta, attr)
            if (key := _msgid(label)) is not None:
                found.setdefault(key, f"{name}.Meta.{attr}")
            elif CHINESE.search(str(label)):
                untranslatable.append(f"{name}.Meta.{attr}: {label!r}")
        for field in model._meta.get_fields(include_hidden=False):
            if field.auto_created and not field.concrete:
                continue  # reverse relations take the other model's labels
            label = getattr(field, "verbose_name", None)
            if label is None:
                continue
            if (key := _msgid(label)) is not None:
                found.setdefault(key, f"{name}.{field.name}")
            elif CHINESE.search(str(label)):
                untranslatable.append(f"{name}.{field.name}: {label!r} (not marked with _())")
    assert len(found) > 100
    problems = untranslatable + _missing(english, found)
    assert not problems, "labels without an English translation:\n" + "\n".join(problems)


def _import_project_modules() -> None:
    for info in pkgutil.walk_packages(qualitycity.__path__, "qualitycity."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        if info.name.rsplit(".", 1)[-1] in {"choices", "models"}:
            importlib.import_module(info.name)


def _choice_classes() -> Iterator[type[models.Choices]]:
    seen: set[type] = set()
    stack = list(models.Choices.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("qualitycity.") and len(cls):
            yield cls


def test_every_choice_label_is_translated(english):
    _import_project_modules()
    classes = list(_choice_classes())
    assert {c.__name__ for c in classes} >= {"Role", "TaskStatus", "WorkRole", "FindingStatus"}
    found: dict[tuple[str | None, str], str] = {}
    untranslatable = []
    for cls in classes:
        for member in cls:
            label = (
                cls._value2label_map_[member.value]
                if hasattr(cls, "_value2label_map_")
                else member.label
            )
            where = f"{cls.__module__}.{cls.__name__}.{member.name}"
            if (key := _msgid(label)) is not None:
                found.setdefault(key, where)
            elif CHINESE.search(str(label)):
                untranslatable.append(f"{where}: {label!r} (not marked with _())")
    problems = untranslatable + _missing(english, found)
    assert not problems, "choices without an English translation:\n" + "\n".join(problems)


# --- templates ----------------------------------------------------------------------------------

_CALL = re.compile(
    r"\b(gettext|ngettext|pgettext|npgettext)\(((?:u'(?:[^'\\]|\\.)*'\s*,\s*)*u'(?:[^'\\]|\\.)*')"
)
_LITERAL = re.compile(r"u'(?:[^'\\]|\\.)*'")


def template_msgids(path: Path) -> set[tuple[str | None, str]]:
    """The (context, msgid) pairs makemessages extracts from one template (Django's templatize,
    whose output xgettext reads as Python)."""
    out: set[tuple[str | None, str]] = set()
    for match in _CALL.finditer(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
        func = match.group(1)
        args = [ast.literal_eval(lit) for lit in _LITERAL.findall(match.group(2))]
        if func.startswith(("pgettext", "npgettext")):
            out.add((args[0], args[1]))
        else:
            out.add((None, args[0]))
    return out


def test_the_extractor_reads_translate_blocktranslate_plural_and_context(tmp_path):
    sample = tmp_path / "t.html"
    sample.write_text(
        '{% load i18n %}{% translate "保存" %}{% translate "x" context "ctx" %}'
        "{% blocktranslate count n=k %}{{ n }} 项{% plural %}{{ n }} 项{% endblocktranslate %}"
        "{% blocktranslate with a=b %}共 {{ a }} 个{% endblocktranslate %}",
        encoding="utf-8",
    )
    assert template_msgids(sample) == {
        (None, "保存"),
        ("ctx", "x"),
        (None, "%(n)s 项"),
        (None, "共 %(a)s 个"),
    }


def test_every_template_string_is_translated(english):
    templates = sorted(SRC.glob("*/templates/**/*.html")) + sorted(SRC.glob("*/templates/**/*.txt"))
    assert len(templates) > 50
    found: dict[tuple[str | None, str], str] = {}
    for path in templates:
        for key in template_msgids(path):
            found.setdefault(key, str(path.relative_to(SRC)))
    assert len(found) > 300
    problems = _missing(english, found)
    assert not problems, "template strings without an English translation:\n" + "\n".join(problems)
