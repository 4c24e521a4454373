"""Separation of duties in a round: who may do what, by the round's kind and the person's relation
to it. Pure: no ORM; `access.round_duties` gathers the facts, the services and the pages ask here.

Self-assessment (自评) and mock (模拟) rounds are the office's own work: the campaign's office (and
an administrator) does everything, the assessors assigned to the round score, claim 合理缺项, link
evidence and submit; the office decides the claims.

Provincial (省级考核) and national (国家验收) rounds assess the campaign's region, so its office is
the assessed party: only the assessors assigned to the round score, auto-score and submit; the
office may claim 合理缺项 and link evidence, and chooses the round's assessors, but never scores,
decides a claim, locks or reopens. A claim is decided by the round's assigned assessors, by the
office of a region above (a city's provincial round: the province's office) or by an
administrator, and never by the person who made it. Locking and reopening belong to the office of
a region above and to administrators, so the city cannot unlock the round that assesses it.

A person may hold several relations at once (an assessor who is also a liaison); they may do what
any of them allows, except what a relation bars: in a provincial or national round the assessed
office's membership bars judging, whatever else the person holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.utils.translation import gettext as _


class Duty(StrEnum):
    SCORE = "score"  # save_score
    AUTO_SCORE = "auto_score"  # auto_score_round
    CLAIM_NA = "claim_na"  # claim_not_applicable
    DECIDE_NA = "decide_na"  # decide_not_applicable
    LINK_EVIDENCE = "link_evidence"  # link_score_evidence
    SUBMIT = "submit"
    LOCK = "lock"
    REOPEN = "reopen"
    SET_ASSESSORS = "set_assessors"


class Relation(StrEnum):
    ADMIN = "admin"  # 系统管理员
    OFFICE = "office"  # the office (创质办) of the campaign's region
    OFFICE_ABOVE = "office_above"  # the office of a region above the campaign's
    ASSIGNED = "assigned"  # an assessor (评审专家) assigned to the round
    ASSESSOR = "assessor"  # an assessor not assigned to it
    LIAISON = "liaison"  # 成员单位联络员
    LEADER = "leader"  # 领导


INTERNAL = frozenset({"self", "mock"})  # the office's own rounds
EXTERNAL = frozenset({"provincial", "national"})  # rounds that assess the campaign's region

ALL = frozenset(Duty)
_ASSESSOR_INTERNAL = frozenset(
    {Duty.SCORE, Duty.AUTO_SCORE, Duty.CLAIM_NA, Duty.LINK_EVIDENCE, Duty.SUBMIT}
)
_JUDGING = frozenset(
    {Duty.SCORE, Duty.AUTO_SCORE, Duty.SUBMIT, Duty.DECIDE_NA, Duty.LOCK, Duty.REOPEN}
)

# kind class → relation → the duties it grants.
GRANTS: dict[str, dict[Relation, frozenset[Duty]]] = {
    "internal": {
        Relation.ADMIN: ALL,
        Relation.OFFICE: ALL,
        Relation.ASSIGNED: _ASSESSOR_INTERNAL,
    },
    "external": {
        Relation.ADMIN: frozenset(
            {Duty.DECIDE_NA, Duty.LOCK, Duty.REOPEN, Duty.SET_ASSESSORS, Duty.LINK_EVIDENCE}
        ),
        Relation.OFFICE: frozenset({Duty.CLAIM_NA, Duty.LINK_EVIDENCE, Duty.SET_ASSESSORS}),
        Relation.OFFICE_ABOVE: frozenset({Duty.DECIDE_NA, Duty.LOCK, Duty.REOPEN}),
        Relation.ASSIGNED: _ASSESSOR_INTERNAL | {Duty.DECIDE_NA},
    },
}

# kind class → relation → the duties it bars, whatever the person's other relations grant.
BARS: dict[str, dict[Relation, frozenset[Duty]]] = {
    "internal": {},
    "external": {Relation.OFFICE: _JUDGING},
}

# Kind classes in which nobody decides a 合理缺项 claim they made themselves. The office's own
# rounds keep today's rule (the office decides every claim, its own included).
NO_OWN_DECISION = frozenset({"external"})


def kind_class(kind: str) -> str:
    if kind in INTERNAL:
        return "internal"
    if kind in EXTERNAL:
        return "external"
    raise ValueError(f"unknown round kind {kind!r}")


def relations_of(
    *,
    admin: bool = False,
    office: bool = False,
    office_above: bool = False,
    assessor_role: bool = False,
    assigned: bool = False,
    liaison: bool = False,
    leader: bool = False,
) -> frozenset[Relation]:
    """A person's relations to a round from the facts about them. Being assigned counts only for
    someone who holds the assessor role."""
    out = set()
    if admin:
        out.add(Relation.ADMIN)
    if office:
        out.add(Relation.OFFICE)
    if office_above:
        out.add(Relation.OFFICE_ABOVE)
    if assessor_role:
        out.add(Relation.ASSIGNED if assigned else Relation.ASSESSOR)
    if liaison:
        out.add(Relation.LIAISON)
    if leader:
        out.add(Relation.LEADER)
    return frozenset(out)


def duties(kind: str, relations: Iterable[Relation]) -> frozenset[Duty]:
    """Everything a person with these relations may do in a round of this kind."""
    klass = kind_class(kind)
    relations = frozenset(relations)
    granted: set[Duty] = set()
    for rel in relations:
        granted |= GRANTS[klass].get(rel, frozenset())
    for rel in relations:
        granted -= BARS[klass].get(rel, frozenset())
    return frozenset(granted)


def may(kind: str, relations: Iterable[Relation], duty: Duty, *, own_claim: bool = False) -> bool:
    """Whether the person may do `duty`; for DECIDE_NA, `own_claim` says they made the claim."""
    if duty not in duties(kind, relations):
        return False
    return not (duty == Duty.DECIDE_NA and own_claim and kind_class(kind) in NO_OWN_DECISION)


def refusal(kind: str, duty: Duty, *, own_claim: bool = False) -> str:
    """The sentence a service refuses `duty` with."""
    external = kind_class(kind) == "external"
    if duty == Duty.DECIDE_NA and own_claim and external:
        return _("不能认定自己提出的合理缺项申请,请由本轮的其他评审专家或上级创质办认定。")
    if external:
        messages = {
            Duty.SCORE: _("省级考核和国家验收只能由本轮指派的评审专家评分。"),
            Duty.AUTO_SCORE: _("省级考核和国家验收只能由本轮指派的评审专家自动评分。"),
            Duty.SUBMIT: _("省级考核和国家验收只能由本轮指派的评审专家提交评分。"),
            Duty.CLAIM_NA: _("只有被考核地区的创质办和本轮的评审专家可以申请合理缺项。"),
            Duty.DECIDE_NA: _(
                "合理缺项申请由本轮的评审专家、上级创质办或系统管理员认定,"
                "被考核地区的创质办不能认定。"
            ),
            Duty.LINK_EVIDENCE: _("只有被考核地区的创质办和本轮的评审专家可以为评分关联佐证材料。"),
            Duty.LOCK: _("省级考核和国家验收由上级创质办或系统管理员锁定。"),
            Duty.REOPEN: _("省级考核和国家验收由上级创质办或系统管理员重新开放。"),
            Duty.SET_ASSESSORS: _("只有本创建工作的创质办可以指派评审专家。"),
        }
        return messages[duty]
    messages = {
        Duty.SCORE: _("您不是本轮的评审专家,也不是创质办,不能评分。"),
        Duty.AUTO_SCORE: _("您不是本轮的评审专家,也不是创质办,不能评分。"),
        Duty.SUBMIT: _("只有本轮的评审专家和创质办可以提交评分。"),
        Duty.CLAIM_NA: _("您不是本轮的评审专家,也不是创质办,不能评分。"),
        Duty.DECIDE_NA: _("只有本创建工作的创质办可以认定合理缺项。"),
        Duty.LINK_EVIDENCE: _("您不是本轮的评审专家,也不是创质办,不能修改评分。"),
        Duty.LOCK: _("只有本创建工作的创质办可以执行此操作。"),
        Duty.REOPEN: _("只有本创建工作的创质办可以执行此操作。"),
        Duty.SET_ASSESSORS: _("只有本创建工作的创质办可以执行此操作。"),
    }
    return messages[duty]
