"""Plan text → measures (主要措施): the pure reader behind `qualitycity measures import`.

A plan prints its measures under headings "(一)加强质量发展战略规划,强化组织领导", each as
"1、加强战略规划。<text>(市创质办牵头,各成员单位配合落实)". `parse_measures` reads that section
(from "三、主要措施" to the next top-level heading when the text holds the whole plan; otherwise
all of it) into `MeasureSpec`s: number, section, title (the text before the first 。), text, the
units of the bracket as printed, and the bracket itself. The phrases these plans use are read:
"(X牵头,Y、Z等单位配合落实)", "(X牵头、各成员单位配合落实)", "牵头单位:X;配合单位:Y",
"责任单位:X". Problems (no units, broken numbering) come back beside the measures, by number;
nothing here reads the database — the names are resolved against the campaign's directory by the
caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

NUMERALS = "一二三四五六七八九十"
SECTION = re.compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）]\s*(\S.*)$")
MEASURE = re.compile(r"^(\d{1,3})\s*[、.．]\s*(\S.*)$")
TOP_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．]\s*(\S.*)$")
BRACKET = re.compile(r"[(（]([^()（）]*牵头[^()（）]*)[)）]\s*$")
LABELLED = re.compile(r"(牵头单位|责任单位|配合单位|协办单位)\s*[::]\s*([^;;。\n()（）]+)")
SEPARATORS = re.compile(r"[、,,;;]|\s+和\s*|(?<=[局委办府区部院社会队所])和|及")
ENDINGS = ("配合落实", "共同落实", "配合实施", "配合")
TRAILING = ("等相关单位", "等有关单位", "等成员单位", "等单位", "等部门")
TITLE_MAX = 40


@dataclass(frozen=True)
class MeasureSpec:
    number: int
    section: str
    title: str
    text: str
    lead_units: tuple[str, ...]
    cooperating_units: tuple[str, ...]
    bracket: str


@dataclass
class PlanText:
    measures: list[MeasureSpec] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (number, message)


def measures_section(lines: list[str]) -> list[str]:
    """The lines of 主要措施 when the text holds the whole plan, else every line."""
    start = next((i for i, line in enumerate(lines) if _is_measures_heading(line)), None)
    if start is None:
        return lines
    out = []
    for line in lines[start + 1 :]:
        if TOP_HEADING.match(line):
            break
        out.append(line)
    return out


def _is_measures_heading(line: str) -> bool:
    match = TOP_HEADING.match(line)
    return bool(match and match.group(2).replace(" ", "").startswith(("主要措施", "工作措施")))


def split_units(text: str) -> tuple[str, ...]:
    """ "市发改委、市财政局等单位" → ("市发改委", "市财政局")."""
    text = text.strip().rstrip("。")
    for ending in TRAILING:
        if text.endswith(ending):
            text = text[: -len(ending)]
    names = [n.strip() for n in SEPARATORS.split(text)]
    return tuple(n for n in names if n)


def parse_bracket(inner: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The units of "X牵头,Y、Z等单位配合落实" as (lead, cooperating)."""
    lead, _sep, rest = inner.partition("牵头")
    rest = re.sub(r"^[,,、;;\s]+", "", rest.strip())
    for ending in ENDINGS:
        if rest.endswith(ending):
            rest = rest[: -len(ending)]
            break
    return split_units(lead), split_units(rest)


def _labelled(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """Units given as "牵头单位:X;配合单位:Y" inside the text, and the text without them."""
    lead: list[str] = []
    coop: list[str] = []
    for label, names in LABELLED.findall(text):
        (coop if label in ("配合单位", "协办单位") else lead).extend(split_units(names))
    cleaned = re.sub(r"[;;,,\s]+$", "", LABELLED.sub("", text).strip())
    return tuple(lead), tuple(coop), cleaned


def _blocks(lines: Iterable[str]) -> list[tuple[str, str]]:
    """("section", heading) and ("measure", whole text) blocks, wrapped lines joined."""
    blocks: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.strip().replace("\u3000", "")
        if not line:
            continue
        if SECTION.match(line):
            blocks.append(("section", line))
        elif MEASURE.match(line):
            blocks.append(("measure", line))
        elif blocks and blocks[-1][0] == "measure":
            blocks[-1] = ("measure", blocks[-1][1] + line)
    return blocks


def parse_measures(text: str) -> PlanText:
    out = PlanText()
    section = ""
    for kind, block in _blocks(measures_section(text.splitlines())):
        if kind == "section":
            section = block
            continue
        match = MEASURE.match(block)
        assert match is not None
        number, body = int(match.group(1)), match.group(2).strip()
        bracket = ""
        lead: tuple[str, ...] = ()
        coop: tuple[str, ...] = ()
        found = BRACKET.search(body)
        if found:
            bracket = found.group(0).strip()
            lead, coop = parse_bracket(found.group(1))
            body = body[: found.start()].rstrip()
        else:
            lead, coop, body = _labelled(body)
        title, sep, rest = body.partition("。")
        if sep and len(title) <= TITLE_MAX:
            measure_text = rest.strip()
        else:
            title, measure_text = "", body
        if not title:
            out.problems.append(
                (number, _("第 %(n)s 项措施没有以“。”结束的标题。") % {"n": number})
            )
        if not lead:
            out.problems.append((number, _("第 %(n)s 项措施没有写明牵头单位。") % {"n": number}))
        out.measures.append(MeasureSpec(number, section, title, measure_text, lead, coop, bracket))
    expected = 1
    for m in out.measures:
        if m.number != expected:
            out.problems.append(
                (
                    m.number,
                    _("措施序号不连续:应为 %(expected)s,实为 %(n)s。")
                    % {"expected": expected, "n": m.number},
                )
            )
        expected = m.number + 1
    if not out.measures:
        out.problems.append((None, _("没有找到措施:措施应以“1、”“2、”……开头。")))
    return out
