"""A message after every action: each view that takes a POST and answers with a redirect sets a
django message on the way (itself or through a helper of its module), so the page the user lands on
says what happened. Read from the views' source, as the views are many and each has its own data."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "src" / "qualitycity"


def _view_modules() -> list[Path]:
    return sorted({*ROOT.rglob("views.py"), *ROOT.rglob("views/*.py")})


def _calls(fn: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                names.add(f.id)
            elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                names.add(f"{f.value.id}.{f.attr}")
    return names


def _sets_message(
    name: str, calls: dict[str, set[str]], seen: frozenset[str] = frozenset()
) -> bool:
    """Whether the function calls messages.*, itself or through a function of its module."""
    own = calls[name]
    if any(c.startswith("messages.") for c in own):
        return True
    helpers = [c for c in own if c in calls and c not in seen]
    return any(_sets_message(h, calls, seen | {name}) for h in helpers)


def _takes_post(fn: ast.FunctionDef, source: str) -> bool:
    decorators = {ast.unparse(d) for d in fn.decorator_list}
    text = ast.get_source_segment(source, fn) or ""
    return "require_POST" in decorators or "request.method" in text or "request.POST" in text


def actions_without_message() -> tuple[int, list[str]]:
    """How many actions redirect, and those that do so without a message."""
    checked, missing = 0, []
    for path in _view_modules():
        source = path.read_text(encoding="utf-8")
        functions = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
        calls = {name: _calls(fn) for name, fn in functions.items()}
        for name, fn in functions.items():
            redirects = {"redirect", "HttpResponseRedirect"} & calls[name]
            if redirects and _takes_post(fn, source):
                checked += 1
                if not _sets_message(name, calls):
                    missing.append(f"{path.relative_to(ROOT)}:{name}")
    return checked, missing


def test_every_action_that_redirects_sets_a_message():
    checked, missing = actions_without_message()
    assert len(_view_modules()) >= 10 and checked >= 25  # the reader does find the actions
    assert missing == []
