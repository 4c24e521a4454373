"""What the assessment services tell people (campaigns.events lists the events and channels).

One function per kind of change, called by the service after it wrote and audited the change, in
the same transaction; `notify` never fails the change.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.campaigns.services.notifications import notify, office_of
from qualitycity.orgs.models import User

from .choices import RoundKind
from .models import Finding, Round, Score


def round_changed(rnd: Round, key: str, by: User) -> None:
    texts = {
        "round.opened": _("考核轮次“%(r)s”已开始(%(s)s 至 %(e)s)。"),
        "round.submitted": _("考核轮次“%(r)s”的评分已提交。"),
        "round.locked": _("考核轮次“%(r)s”已锁定,结果确定。"),
    }
    text = texts[key] % {"r": rnd.name, "s": rnd.start, "e": rnd.end}
    notify(
        key,
        rnd.campaign,
        actor=by,
        text=text,
        url=reverse("assessments:round_summary", args=[rnd.pk]),
        people=list(rnd.assessors.filter(is_active=True)),
    )


def finding_changed(finding: Finding, key: str, by: User) -> None:
    texts = {
        "finding.assigned": _("整改事项:“%(t)s”(%(k)s),请于 %(d)s 前完成整改。"),
        "finding.fixed": _("%(u)s已完成整改“%(t)s”,请复核。"),
        "finding.sent_back": _("整改“%(t)s”被退回:%(r)s"),
        "finding.verified": _("整改“%(t)s”已复核通过,予以销号。"),
    }
    text = texts[key] % {
        "t": finding.title[:80],
        "k": finding.criterion.key,
        "d": finding.due,
        "u": finding.unit.name,
        "r": finding.return_reason[:200],
    }
    notify(
        key,
        finding.round.campaign,
        actor=by,
        text=text,
        url=reverse("assessments:finding_detail", args=[finding.pk]),
        units=[finding.unit_id],
    )


def deciders_of(rnd: Round) -> list[User]:
    """Who decides a 合理缺项 claim: the round's assessors in a provincial or national round, the
    campaign's office in its own rounds."""
    if rnd.kind in (RoundKind.PROVINCIAL, RoundKind.NATIONAL):
        return list(rnd.assessors.filter(is_active=True))
    return office_of(rnd.campaign)


def na_claimed(score: Score, by: User) -> None:
    rnd = score.round
    notify(
        "na.claimed",
        rnd.campaign,
        actor=by,
        text=_("“%(r)s”%(k)s 申请合理缺项,理由:%(why)s")
        % {"r": rnd.name, "k": score.criterion.key, "why": score.na_reason[:200]},
        url=reverse("assessments:workspace", args=[rnd.pk]),
        people=deciders_of(rnd),
    )


def na_decided(score: Score, by: User, approved: bool) -> None:
    rnd = score.round
    text = (
        _("“%(r)s”%(k)s 的合理缺项申请已认定。")
        if approved
        else _("“%(r)s”%(k)s 的合理缺项申请未予认定。")
    ) % {"r": rnd.name, "k": score.criterion.key}
    notify(
        "na.decided",
        rnd.campaign,
        actor=by,
        text=text,
        url=reverse("assessments:workspace", args=[rnd.pk]),
        people=[score.scored_by],
    )


def na_revoked(score: Score, by: User) -> None:
    rnd = score.round
    notify(
        "na.decided",
        rnd.campaign,
        actor=by,
        text=_("“%(r)s”%(k)s 的合理缺项认定已撤销,重新等待认定。")
        % {"r": rnd.name, "k": score.criterion.key},
        url=reverse("assessments:workspace", args=[rnd.pk]),
        people=[score.scored_by],
    )
