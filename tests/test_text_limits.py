"""Every text the system stores has a length limit, and forms and the API enforce it: each model
text field has a max_length, each form's text field and each API string has one too, and a save
that exceeds a model's limit is refused with a sentence (audit/lengths.py), never a DataError."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.utils import translation

from qualitycity.api.main import api
from qualitycity.errors import ValidationFailed

FORM_MODULES = [
    "qualitycity.orgs.forms",
    "qualitycity.frameworks.forms",
    "qualitycity.indicators.forms",
    "qualitycity.evidence.forms",
    "qualitycity.campaigns.forms",
    "qualitycity.campaigns.admin_forms",
    "qualitycity.assessments.forms",
]
# Not text a user writes into the database: a password is hashed and Django limits it itself.
UNSTORED = {"PasswordChangeForm.old_password"}


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("qualitycity.")]


def test_every_model_text_field_has_a_limit():
    unbounded = [
        f"{m.__name__}.{f.name}"
        for m in project_models()
        for f in m._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField)) and not f.max_length
    ]
    assert unbounded == []


def form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


def test_every_form_text_field_has_a_limit():
    classes = list(form_classes())
    assert len(classes) > 20
    unbounded = [
        f"{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if type(field) in (forms.CharField,)
        and not field.max_length
        and f"{cls.__name__}.{name}" not in UNSTORED
    ]
    assert unbounded == []


def test_a_form_field_is_no_longer_than_its_model_field():
    over = []
    for cls in form_classes():
        model = getattr(getattr(cls, "_meta", None), "model", None)
        if model is None:
            continue
        for name, field in cls.base_fields.items():
            try:
                column = model._meta.get_field(name)
            except Exception:
                continue
            limit = getattr(column, "max_length", None)
            if limit and getattr(field, "max_length", None) and field.max_length > limit:
                over.append(f"{cls.__name__}.{name}: {field.max_length} > {limit}")
    assert over == []


def _strings(schema: dict, components: dict, path: str, seen: set[str]):
    """Every free-text string in a (request) schema, with where it is."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        yield from _strings(components[name], components, name, seen | {name})
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from _strings(part, components, path, seen)
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        yield path, schema
    for name, prop in schema.get("properties", {}).items():
        yield from _strings(prop, components, f"{path}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        yield from _strings(schema["items"], components, f"{path}[]", seen)


def test_every_api_text_input_has_a_limit():
    spec = api.get_openapi_schema()
    components = spec["components"]["schemas"]
    unbounded = []
    count = 0
    for route, operations in spec["paths"].items():
        for method, op in operations.items():
            sources = [
                (f"{method} {route} ?{p['name']}", p["schema"]) for p in op.get("parameters", [])
            ]
            for content in op.get("requestBody", {}).get("content", {}).values():
                sources.append((f"{method} {route} body", content["schema"]))
            for where, schema in sources:
                for path, s in _strings(schema, components, where, set()):
                    count += 1
                    if "maxLength" not in s and not s.get("pattern", "").startswith("^\\d"):
                        unbounded.append(path)
    assert count > 10
    assert unbounded == []


@pytest.mark.django_db
def test_a_save_beyond_a_limit_is_refused_with_a_sentence(orgs):
    from qualitycity.orgs.models import UnitGroup

    group = UnitGroup.objects.first()
    group.description = "长" * 2001
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        group.save()
    assert "“说明”不能超过 2000 个字符(现有 2001 个)。" in refused.value.messages
    group.refresh_from_db()
    assert len(group.description) <= 2000
