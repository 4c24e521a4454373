"""A province-scale dataset for the benchmarks, built once and kept.

On top of the demo (`make run`'s data: 永州市 and 冷水滩区), it makes what one installation serves
for a whole province: 14 cities and 122 counties (湖南省's real numbers), each with a directory of
about 50 units (a copy of 永州市's, so the Yongzhou table's printed names resolve), each running a
campaign on the Yongzhou framework (half report from every unit, half from lead units only), with
the tasks generated from its responsibility table, 12 months of progress reports (2018), three
rounds fully scored (自评, 省级考核, 国家验收), 200,000 evidence records (metadata; they share a
few real files) and 5 years of indicator observations for every region.

Campaigns, phases, responsibility tables, tasks and rounds are made by the services; the volume
(reports, scores, evidence, observations, directories) by bulk inserts of rows the services
would write, without audit events. Deterministic (a fixed seed).

    .venv/bin/python bench/province.py                 # build (or reuse) var/bench-province
    DATABASE_URL=postgres://localhost/qc_bench .venv/bin/python bench/province.py

The dataset is kept in --var-dir (SQLite) or the PostgreSQL database, with a marker file in
--var-dir; a second run only counts the rows. A build cut off half-way resumes: each step skips
what is there. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

VERSION = "province-1"
PROVINCE_TODAY = dt.date(2019, 1, 15)  # 2018's twelve months reported, three rounds held
CITIES = [  # 湖南省's 14 prefecture-level regions and how many county-level ones each has
    ("430100", "长沙市", 9),
    ("430200", "株洲市", 9),
    ("430300", "湘潭市", 5),
    ("430400", "衡阳市", 12),
    ("430500", "邵阳市", 12),
    ("430600", "岳阳市", 9),
    ("430700", "常德市", 9),
    ("430800", "张家界市", 4),
    ("430900", "益阳市", 6),
    ("431000", "郴州市", 11),
    ("431100", "永州市", 11),
    ("431200", "怀化市", 12),
    ("431300", "娄底市", 5),
    ("433100", "湘西土家族苗族自治州", 8),
]
COUNTIES = 122
EVIDENCE = 200_000
ROUNDS = [
    ("self", "2018年度自评", dt.date(2018, 10, 8), dt.date(2018, 10, 31), 0.75),
    ("provincial", "2018年省级考核", dt.date(2018, 11, 5), dt.date(2018, 11, 30), 0.8),
    ("national", "2018年国家验收", dt.date(2018, 12, 3), dt.date(2018, 12, 28), 0.85),
]


def setup(var_dir: Path) -> None:
    from bench.http_pages import setup as demo_setup

    demo_setup(var_dir)


def marker_file(var_dir: Path) -> Path:
    """Where the finished build is recorded: one file per database (SQLite file or PG name)."""
    from django.db import connection

    name = Path(str(connection.settings_dict["NAME"])).name
    return var_dir / f"province-{connection.vendor}-{name}.done"


def built(var_dir: Path) -> bool:
    path = marker_file(var_dir)
    return path.exists() and path.read_text().strip() == VERSION


def _regions():
    """The 14 cities and 122 counties, the demo's own kept; returns them all (cities, counties)."""
    from qualitycity.orgs.models import Region

    province = Region.objects.get(code="430000")
    cities, counties = [], []
    for position, (code, name, n) in enumerate(CITIES):
        city, _ = Region.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": "city", "parent": province, "position": position},
        )
        cities.append(city)
        own = list(Region.objects.filter(parent=city).order_by("position", "code"))
        for i in range(len(own), n):
            own.append(
                Region.objects.create(
                    code=f"{code[:4]}{81 + i:02d}",
                    name=f"{name.removesuffix('市')}第{i + 1}县",
                    kind="county",
                    parent=city,
                    position=100 + i,
                )
            )
        counties += own[:n]
    assert len(counties) == COUNTIES, len(counties)
    return cities, counties


def _directories(regions, template_region) -> None:
    """A copy of 永州市's units, aliases and groups in every region without a directory."""
    from qualitycity.orgs.models import Alias, Unit, UnitGroup

    units = list(Unit.objects.filter(region=template_region).order_by("position", "pk"))
    aliases = list(Alias.objects.filter(region=template_region).select_related("unit", "group"))
    groups = list(UnitGroup.objects.filter(region=template_region).prefetch_related("members"))
    for region in regions:
        if Unit.objects.filter(region=region).exists():
            continue
        made = Unit.objects.bulk_create(
            [
                Unit(
                    code=u.code,
                    name=u.name,
                    full_name=u.full_name,
                    kind=u.kind,
                    region=region,
                    position=u.position,
                )
                for u in units
            ]
        )
        by_name = {u.name: u for u in made}
        new_groups = UnitGroup.objects.bulk_create(
            [
                UnitGroup(
                    region=region,
                    code=g.code,
                    name=g.name,
                    description=g.description,
                    position=g.position,
                )
                for g in groups
            ]
        )
        through = UnitGroup.members.through
        through.objects.bulk_create(
            [
                through(unitgroup_id=new.pk, unit_id=by_name[m.name].pk)
                for g, new in zip(groups, new_groups, strict=True)
                for m in g.members.all()
                if m.name in by_name
            ]
        )
        group_by_name = {g.name: g for g in new_groups}
        Alias.objects.bulk_create(
            [
                Alias(
                    region=region,
                    name=a.name,
                    unit=by_name.get(a.unit.name) if a.unit else None,
                    group=group_by_name.get(a.group.name) if a.group else None,
                )
                for a in aliases
            ]
        )


def _campaigns(regions, framework, admin):
    from qualitycity.campaigns.models import Campaign
    from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign, generate_tasks

    out = []
    for n, region in enumerate(regions):
        campaign = Campaign.objects.filter(region=region).order_by("pk").first()
        if campaign is None:
            campaign = create_campaign(
                by=admin,
                name=f"{region.name}创建全国质量强市示范城市",
                region=region,
                framework=framework,
                start=dt.date(2017, 9, 1),
                end=dt.date(2019, 10, 31),
                phases=YONGZHOU_PHASES,
                reports_from="lead" if n % 2 else "all",
            )
            phase = campaign.phases.order_by("position")[1]  # 全面推进阶段
            generate_tasks(campaign, by=admin, phase=phase)
        out.append(campaign)
    return out


def _progress(campaigns, admin, rng: random.Random) -> int:
    """Tasks' progress and their reports for the twelve months of 2018."""
    from django.utils import timezone

    from qualitycity.campaigns.choices import ReportStatus, TaskStatus
    from qualitycity.campaigns.models import ProgressReport, Task
    from qualitycity.campaigns.supervision import periods

    made = 0
    for campaign in campaigns:
        if ProgressReport.objects.filter(task__campaign=campaign).exists():
            continue
        tasks = list(Task.objects.filter(campaign=campaign).select_related("campaign"))
        updates = []
        reports = []
        for task in tasks:
            quality = rng.random()
            task.progress = min(100, int(quality * 120))
            task.status = TaskStatus.DONE if task.progress == 100 else TaskStatus.IN_PROGRESS
            updates.append(task)
            if campaign.reports_from != "all" and task.role != "lead":
                continue
            for month, p in enumerate(periods(dt.date(2018, 1, 1), dt.date(2018, 12, 31))):
                if rng.random() > 0.9:
                    continue  # about one report in ten is missing
                late = rng.random() < 0.1
                day = p.deadline + dt.timedelta(days=3 if late else -1)
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
                reports.append(
                    ProgressReport(
                        task=task,
                        period_start=p.start,
                        period_end=p.end,
                        deadline=p.deadline,
                        text=f"{p.start:%Y年%m月}:按计划推进,已完成阶段工作。",
                        percent=min(100, int(task.progress * (month + 1) / 12)),
                        status=ReportStatus.ACCEPTED
                        if rng.random() < 0.8
                        else ReportStatus.SUBMITTED,
                        submitted_at=at,
                        late=late,
                        author=admin,
                    )
                )
        Task.objects.bulk_update(updates, ["progress", "status"], batch_size=2000)
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
        made += len(reports)
    return made


def _inputs(framework, rng: random.Random):
    """For each criterion, (value, points) at a low, a middle and a high quality: the rules'
    own inputs, scored by the rules (as save_score does)."""
    from qualitycity.demo.campaign import _pick_input
    from qualitycity.frameworks import rules

    out = {}
    for criterion in framework.criteria.order_by("position"):
        rule = criterion.parsed_rule()
        levels = []
        for quality in (0.2, 0.6, 1.0):
            value = _pick_input(rule, rng, quality)
            if value is None:  # manual: a share of the maximum, on its step
                step = rule.step if isinstance(rule, rules.Manual) else Decimal(1)
                value = (criterion.max_points * Decimal(str(quality)) / step).to_integral_value()
                value = value * step
            typed = rules.coerce(rule, value)
            levels.append(
                (
                    {"input": rules.value_to_json(typed)},
                    rules.score(rule, typed, criterion.max_points),
                )
            )
        out[criterion.pk] = (criterion, levels)
    return out


def _rounds(campaigns, framework, admin, rng: random.Random) -> int:
    from django.utils import timezone

    from qualitycity.assessments.choices import NAStatus, RoundStatus
    from qualitycity.assessments.models import Round, Score
    from qualitycity.assessments.services import create_round

    inputs = _inputs(framework, rng)
    made = 0
    for campaign in campaigns:
        if Round.objects.filter(campaign=campaign, kind="national").exists():
            continue
        strength = rng.random()
        for kind, name, start, end, base in ROUNDS:
            rnd = Round.objects.filter(campaign=campaign, kind=kind).first() or create_round(
                campaign, by=admin, kind=kind, name=name, start=start, end=end
            )
            existing = set(Score.objects.filter(round=rnd).values_list("criterion_id", flat=True))
            at = timezone.make_aware(dt.datetime.combine(end, dt.time(16)))
            scores = []
            for pk, (criterion, levels) in inputs.items():
                if pk in existing:
                    continue
                if criterion.na_allowed and rng.random() < 0.5:
                    scores.append(
                        Score(
                            round=rnd,
                            criterion=criterion,
                            na_status=NAStatus.APPROVED,
                            na_reason="本地无口岸,按评分细则为合理缺项。",
                            scored_at=at,
                            version=2,
                        )
                    )
                    continue
                roll = rng.random() * 0.6 + strength * 0.2 + base * 0.3
                value, points = levels[2 if roll > 0.7 else 1 if roll > 0.45 else 0]
                scores.append(
                    Score(
                        round=rnd,
                        criterion=criterion,
                        value=value,
                        points=points,
                        scored_by=admin,
                        scored_at=at,
                        version=1,
                    )
                )
            Score.objects.bulk_create(scores, batch_size=2000)
            made += len(scores)
            if kind != "national":
                Round.objects.filter(pk=rnd.pk).update(status=RoundStatus.LOCKED)
    return made


def _evidence(campaigns, admin, rng: random.Random) -> int:
    """200,000 evidence records in all; a few real files shared by the metadata rows."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db.models import Count

    from qualitycity.assessments.services import upload_evidence
    from qualitycity.demo.campaign import _pdf
    from qualitycity.evidence.models import Evidence
    from qualitycity.frameworks.models import Criterion
    from qualitycity.orgs.models import Unit

    have = Evidence.objects.count()
    if have >= EVIDENCE:
        return 0
    first = campaigns[0]
    unit = Unit.objects.filter(region=first.region).order_by("position").first()
    files = []
    for n in range(5):
        title = f"Province bench file {n + 1}"
        evidence = upload_evidence(
            first,
            SimpleUploadedFile(f"bench-{n + 1}.pdf", _pdf(title), "application/pdf"),
            by=admin,
            title=title,
            unit=unit,
            effective_date=dt.date(2018, 6, 1),
        )
        files.append(evidence.file_id)
    counts = dict(
        Evidence.objects.values_list("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    per = (EVIDENCE - Evidence.objects.count()) // len(campaigns) + 1
    criteria = list(
        Criterion.objects.filter(framework_id=first.framework_id).values_list("pk", flat=True)
    )
    through = Evidence.criteria.through
    made = 0
    for campaign in campaigns:
        units = list(Unit.objects.filter(region=campaign.region).values_list("pk", flat=True))
        want = min(per, EVIDENCE - have - made)
        if want <= 0 or counts.get(campaign.pk, 0) >= per:
            continue
        rows = [
            Evidence(
                campaign=campaign,
                file_id=files[i % len(files)],
                original_name=f"材料{i + 1:05d}.pdf",
                title=f"{campaign.region.name}佐证材料第{i + 1}号",
                unit_id=units[i % len(units)],
                effective_date=dt.date(2018, 1, 1) + dt.timedelta(days=i % 365),
                uploaded_by=admin,
            )
            for i in range(want)
        ]
        made_rows = Evidence.objects.bulk_create(rows, batch_size=5000)
        links = [
            through(evidence_id=e.pk, criterion_id=criteria[rng.randrange(len(criteria))])
            for e in made_rows
            if rng.random() < 0.4
        ]
        through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
        made += len(made_rows)
    return made


def _observations(regions, admin) -> int:
    from qualitycity.demo.indicators import ensure_demo_indicators
    from qualitycity.indicators.models import Indicator, Observation

    ensure_demo_indicators()
    indicators = list(Indicator.objects.all())
    have = set(Observation.objects.values_list("indicator_id", "region_id", "period"))
    rows = []
    for region in regions:
        for indicator in indicators:
            for year in range(2014, 2019):
                key = (indicator.pk, region.pk, str(year))
                if key in have:
                    continue
                base = (indicator.pk * 7 + region.pk * 3) % 90 + 5
                rows.append(
                    Observation(
                        indicator=indicator,
                        region=region,
                        period=str(year),
                        period_end=dt.date(year, 12, 31),
                        value=Decimal(base + (year - 2014) * 1.5).quantize(Decimal("0.01")),
                        source="统计年鉴",
                        entered_by=admin,
                    )
                )
    Observation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _people(cities) -> None:
    """A province office (reads every campaign) beside the demo's personas."""
    from qualitycity.demo.people import DemoUser, ensure_user
    from qualitycity.orgs.choices import Role
    from qualitycity.orgs.models import Region

    ensure_user(
        DemoUser("province", "湖南省创质办 王处长", Role.OFFICE, None),
        Region.objects.get(code="430000"),
    )


def _assign_expert() -> None:
    """The demo's expert scores 永州市's open national round (the workspace and save timings)."""
    from qualitycity.assessments.models import Round
    from qualitycity.orgs.models import User

    expert = User.objects.get(username="expert")
    for rnd in Round.objects.filter(campaign__region__code="431100", kind="national"):
        rnd.assessors.add(expert)


def build(var_dir: Path) -> dict[str, int]:
    setup(var_dir)
    from django.db import connection, transaction

    from qualitycity import clock
    from qualitycity.assessments.models import Score
    from qualitycity.campaigns.models import Campaign, ProgressReport, Task
    from qualitycity.evidence.models import Evidence
    from qualitycity.frameworks.models import Framework
    from qualitycity.indicators.models import Observation
    from qualitycity.orgs.models import Region, Unit, User

    if not built(var_dir):
        started = time.perf_counter()
        rng = random.Random(20181231)
        admin = User.objects.get(username="admin")
        framework = Framework.objects.filter(code="yongzhou-2017").order_by("version").first()
        with clock.pinned(PROVINCE_TODAY), transaction.atomic():
            cities, counties = _regions()
            regions = cities + counties
            _directories(regions, Region.objects.get(code="431100"))
            _people(cities)
        steps = [
            ("campaigns and tasks", lambda: _campaigns(regions, framework, admin)),
        ]
        with clock.pinned(PROVINCE_TODAY):
            for label, step in steps:
                t0 = time.perf_counter()
                with transaction.atomic():
                    campaigns = step()
                print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)
            for label, step in [
                ("progress reports", lambda: _progress(campaigns, admin, rng)),
                ("rounds and scores", lambda: _rounds(campaigns, framework, admin, rng)),
                ("evidence", lambda: _evidence(campaigns, admin, rng)),
                ("observations", lambda: _observations(regions, admin)),
            ]:
                t0 = time.perf_counter()
                with transaction.atomic():
                    n = step()
                print(f"  {label}: {n} rows in {time.perf_counter() - t0:.1f} s", flush=True)
        from qualitycity.dbstats import refresh_statistics

        refresh_statistics()  # as the daily sweep does: both databases plan by them
        marker_file(var_dir).write_text(VERSION)
        print(f"province dataset built in {time.perf_counter() - started:.0f} s")
    _assign_expert()
    counts = {
        "regions": Region.objects.count(),
        "units": Unit.objects.count(),
        "campaigns": Campaign.objects.count(),
        "tasks": Task.objects.count(),
        "progress reports": ProgressReport.objects.count(),
        "scores": Score.objects.count(),
        "evidence": Evidence.objects.count(),
        "observations": Observation.objects.count(),
    }
    print(connection.vendor, ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-province"))
    args = parser.parse_args()
    build(Path(args.var_dir))


if __name__ == "__main__":
    main()
