"""The demo campaign: Yongzhou's campaign with its four phases, a locked mock round from 2018 and an
open self-assessment round in 2019 with realistic scores, evidence and a few rectifications.

Everything goes through the services, so the demo also exercises permissions and the audit trail.
Deterministic: the same data every time (random.Random with a fixed seed).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qualitycity import clock
from qualitycity.assessments import services as assess
from qualitycity.assessments.choices import FindingStatus, RoundKind
from qualitycity.assessments.models import Round, Score
from qualitycity.campaigns.models import Campaign
from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign
from qualitycity.frameworks import rules
from qualitycity.frameworks.models import Criterion, Framework
from qualitycity.orgs.models import Region, Unit, User

from .people import CITY_CODE
from .work import ensure_demo_work

CAMPAIGN_NAME = "永州市创建全国质量强市示范城市"
# The demo shows the campaign as it stood on this day, mid-way through 全面推进 (2018-01 … 2019-02);
# `make run` pins the app's today to it (QC_TODAY), and setup_demo() makes the records as on that
# day (clock.pinned, see qualitycity/clock.py).
DEMO_TODAY = dt.date(2018, 9, 15)


def _pdf(title: str) -> bytes:
    """A small valid one-page PDF whose text is `title` (ASCII only)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _pick_input(rule: rules.Rule, rng: random.Random, quality: float):
    """A plausible scoring input: better `quality` (0–1) gives higher points more often."""
    good = rng.random() < quality
    if isinstance(rule, rules.Manual):
        return None  # handled by the caller, which knows the maximum
    if isinstance(rule, rules.Binary | rules.IndicatorRule):
        return good
    if isinstance(rule, rules.Tiers):
        return rule.tiers[0].label if good else rule.tiers[min(1, len(rule.tiers) - 1)].label
    if isinstance(rule, rules.Rank):
        return rule.bands[0].band if good else rule.bands[1].band
    if isinstance(rule, rules.Threshold):
        return str(rule.bounds[0].min if good else rule.bounds[min(1, len(rule.bounds) - 1)].min)
    if isinstance(rule, rules.Count):
        return rule.at_least if good else max(0, rule.at_least - 1)
    if isinstance(rule, rules.Deduction):
        return 0 if good else 1
    if isinstance(rule, rules.Veto):
        return False
    if isinstance(rule, rules.Composite):
        return [_pick_input(c.rule, rng, quality) for c in rule.conditions]
    if isinstance(rule, rules.Parts):
        return [
            (str(p.points) if rng.random() < quality else "0")
            if isinstance(p.rule, rules.Manual)
            else _pick_input(p.rule, rng, quality)
            for p in rule.parts
        ]
    raise AssertionError(rule)


def _score_round(
    rnd: Round,
    criteria: list[Criterion],
    by: User,
    office: User,
    rng: random.Random,
    quality: float,
    skip: set[str],
) -> None:
    for criterion in criteria:
        if criterion.key in skip:
            continue
        if criterion.na_allowed:
            score = assess.claim_not_applicable(
                rnd,
                criterion,
                by=by,
                reason="永州市无口岸,按评分细则此项为合理缺项。",
                expected_version=0,
            )
            assess.decide_not_applicable(
                score, by=office, approve=True, expected_version=score.version
            )
            continue
        rule = criterion.parsed_rule()
        value = _pick_input(rule, rng, quality)
        if value is None:
            step = rule.step if isinstance(rule, rules.Manual) else Decimal(1)
            share = Decimal(str(rng.choice([1, 1, 1, 0.9, 0.8, 0.8, 0.7, 0.6, 0.5])))
            value = (criterion.max_points * share / step).to_integral_value() * step
        assess.save_score(
            rnd,
            criterion,
            by=by,
            value=value,
            expected_version=0,
            comment=rng.choice(["", "", "材料齐全。", "部分材料待补充。", "已现场核实。"]),
        )


@transaction.atomic
def ensure_demo_campaign(today: dt.date | None = None) -> Campaign:
    """Create the demo campaign once; a second call returns it unchanged."""
    existing = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if existing is not None:
        return existing
    office = User.objects.get(username="office")
    expert = User.objects.get(username="expert")
    liaison = User.objects.get(username="liaison")
    framework = Framework.objects.filter(code="yongzhou-2017").order_by("version").first()
    city = Region.objects.get(code=CITY_CODE)
    campaign = create_campaign(
        by=office,
        name=CAMPAIGN_NAME,
        region=city,
        framework=framework,
        start=dt.date(2017, 9, 1),
        end=dt.date(2019, 10, 31),
        phases=YONGZHOU_PHASES,
        # Lead units report monthly; cooperating units report to their lead unit.
        reports_from="lead",
    )
    criteria = list(Criterion.objects.filter(framework=framework).order_by("position"))
    rng = random.Random(2017)

    mock = assess.create_round(
        campaign,
        by=office,
        kind=RoundKind.MOCK,
        name="2018年上半年模拟自评",
        start=dt.date(2018, 6, 1),
        end=dt.date(2018, 6, 30),
        assessors=[expert],
    )
    _score_round(mock, criteria, expert, office, rng, quality=0.55, skip=set())
    assess.submit_round(mock, by=expert)
    assess.lock_round(mock, by=office)

    self_round = assess.create_round(
        campaign,
        by=office,
        kind=RoundKind.SELF,
        name="2018年三季度自评",
        start=dt.date(2018, 9, 1),
        end=dt.date(2018, 9, 30),
        assessors=[expert],
    )
    skip = {c.key for c in criteria[-6:]} | {criteria[20].key, criteria[57].key}
    _score_round(self_round, criteria, expert, office, rng, quality=0.8, skip=skip)

    # Evidence from units, linked to the criteria they support.
    samples = [
        (
            "市创质办",
            "关于成立永州市质量强市工作领导小组的通知",
            dt.date(2017, 10, 12),
            ["1.2.1", "4.1.1"],
        ),
        ("市创质办", "永州市质量发展规划(2017-2020年)", dt.date(2017, 12, 1), ["1.1.1"]),
        ("市财政局", "2018年质量工作专项经费预算批复", dt.date(2018, 2, 8), ["1.3.1"]),
        ("市质监局", "2018年小微企业质量负责人培训签到表", dt.date(2018, 6, 20), ["2.3.2"]),
        ("市委宣传部", "永州城市质量精神征集活动方案", dt.date(2018, 4, 3), ["2.1.1", "2.2.1"]),
        ("市质监局", "2018年“质量月”活动通知", dt.date(2018, 9, 1), ["2.6.1", "2.6.3"]),
        ("市住建局", "保障房工程一次验收合格情况统计", dt.date(2018, 8, 15), ["7.4.1", "7.4.2"]),
        ("市质监局", "2016年企业质量信用档案录入清单", dt.date(2016, 12, 20), ["2.4.3"]),
    ]
    by_key = {c.key: c for c in criteria}
    for unit_name, title, day, keys in samples:
        unit = Unit.objects.get(region__code=CITY_CODE, name=unit_name)
        uploader = liaison if unit_name == "市质监局" else office
        upload = SimpleUploadedFile(
            f"{title}.pdf", _pdf(f"QualityCity demo: {title[:20]}"), "application/pdf"
        )
        evidence = assess.upload_evidence(
            campaign,
            upload,
            by=uploader,
            title=title,
            unit=unit,
            effective_date=day,
            criteria=[by_key[k] for k in keys if k in by_key],
            rounds=[self_round],
        )
        for key in keys:
            score = Score.objects.filter(round=self_round, criterion=by_key.get(key)).first()
            if score is not None:
                assess.link_score_evidence(
                    score, by=expert, evidence=[*score.evidence.all(), evidence]
                )

    # Rectifications from the largest gaps.
    report_rows = [
        s
        for s in Score.objects.filter(round=self_round).select_related("criterion")
        if s.points is not None and s.points < s.criterion.max_points
    ]
    report_rows.sort(key=lambda s: (s.points - s.criterion.max_points, s.criterion.position))
    today = today or DEMO_TODAY
    states = [
        FindingStatus.OPEN,
        FindingStatus.IN_PROGRESS,
        FindingStatus.FIXED,
        FindingStatus.VERIFIED,
        FindingStatus.OPEN,
    ]
    for index, (score, state) in enumerate(zip(report_rows, states, strict=False)):
        due = today + dt.timedelta(days=30) if index != 4 else today - dt.timedelta(days=10)
        # The overdue one was set a month and a half ago, with a deadline that has passed since.
        created_on = today - dt.timedelta(days=40) if index == 4 else today
        try:
            with clock.pinned(created_on):
                finding = assess.create_finding(self_round, score.criterion, by=office, due=due)
        except Exception:
            continue
        if state in (FindingStatus.IN_PROGRESS, FindingStatus.FIXED, FindingStatus.VERIFIED):
            finding = assess.start_rectification(finding, by=office)
        if state in (FindingStatus.FIXED, FindingStatus.VERIFIED):
            finding = assess.mark_fixed(
                finding, by=office, note="已制定整改方案并完成整改,材料已上传。"
            )
        if state == FindingStatus.VERIFIED:
            assess.verify_finding(finding, by=office)
    # One open item for the liaison persona's unit (市质监局), so its 我的任务 lists 整改 work.
    liaison_row = next(
        (
            s
            for s in report_rows[len(states) :]
            if (lead := assess.lead_unit_of(campaign, s.criterion)) is not None
            and lead.name == "市质监局"
        ),
        None,
    )
    if liaison_row is not None:
        assess.create_finding(
            self_round, liaison_row.criterion, by=office, due=today + dt.timedelta(days=45)
        )
    ensure_demo_work(campaign, today=today)
    return campaign
