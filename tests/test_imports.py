"""Import boundaries, read from the source with `ast`: no app depends on the demo package, and
production code never imports Django's test tools."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "qualitycity"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module an import statement names, relative imports resolved against `module`."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                parent = ".".join([*base, node.module] if node.module else base)
            else:
                parent = node.module or ""
            found.add(parent)
            found.update(f"{parent}.{alias.name}" for alias in node.names)
    return found


def _source_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _imports_of(path: Path) -> set[str]:
    return imported_modules(
        path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py"
    )


def _names(modules: set[str], target: str) -> set[str]:
    return {m for m in modules if m == target or m.startswith(target + ".")}


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import qualitycity.demo.people", "qualitycity.web.views", True),
        ("from qualitycity.demo import setup", "qualitycity.web.views", True),
        ("from qualitycity import demo", "qualitycity.web.views", True),
        ("from ..demo.work import ensure_demo_work", "qualitycity.web.views", True),
        ("from .. import demo", "qualitycity.web.views", True),
        ("from . import demo", "qualitycity", False),  # a module beside the package: not it
        ("from qualitycity import demos, clock", "qualitycity.web.views", False),
        ("import qualitycity.demographics", "qualitycity.web.views", False),
    ],
)
def test_the_scan_sees_every_spelling_of_an_import(source, module, expected):
    assert bool(_names(imported_modules(source, module), "qualitycity.demo")) is expected


def test_the_scan_resolves_relative_imports_in_a_package_init():
    found = imported_modules("from .demo import people", "qualitycity", is_package=True)
    assert "qualitycity.demo.people" in found


def test_the_scan_reads_the_source_tree():
    modules = {module_name(p) for p in _source_files()}
    assert {"qualitycity.clock", "qualitycity.demo.setup", "qualitycity.web.views"} <= modules


def test_no_app_imports_the_demo_package():
    demo = PACKAGE / "demo"
    offenders = {
        str(path.relative_to(SRC)): sorted(_names(_imports_of(path), "qualitycity.demo"))
        for path in _source_files()
        if demo not in path.parents
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_source_module_imports_django_test():
    offenders = {
        str(path.relative_to(SRC)): sorted(_names(_imports_of(path), "django.test"))
        for path in _source_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_django_test_scan_sees_its_spellings():
    for source in (
        "import django.test",
        "from django.test.utils import override_settings",
        "from django import test",
    ):
        assert _names(imported_modules(source, "qualitycity.x"), "django.test"), source


def test_the_demo_package_imports_one_way():
    """No cycle among the demo's modules (setup → campaign → work → people; indicators)."""
    demo = PACKAGE / "demo"
    modules = {module_name(p): p for p in sorted(demo.rglob("*.py"))}
    graph = {
        name: {m for m in _imports_of(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    assert graph["qualitycity.demo.setup"] >= {
        "qualitycity.demo.campaign",
        "qualitycity.demo.indicators",
        "qualitycity.demo.people",
    }
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " → ".join([*path, name])
        if name in done:
            return
        for target in graph[name]:
            visit(target, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
