"""Rectification pages: creating findings from gap rows, the list, the detail and the status flow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qualitycity.assessments import services
from qualitycity.assessments.models import Finding
from qualitycity.audit.models import AuditEvent
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Unit
from tests.factories import criteria_of, html, score_criteria
from tests.factories import pdf_bytes as _pdf
from tests.factories import persona as make_persona
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


FUTURE = dt.date(2030, 6, 30)


@pytest.fixture
def zhijian_criterion(open_round, office, zhijian):
    """A criterion led by 市质监局 (the liaison's unit) with cooperating units, scored low."""
    for criterion in criteria_of(open_round):
        if (
            services.lead_unit_of(open_round.campaign, criterion) == zhijian
            and len(services.cooperating_units_of(open_round.campaign, criterion)) > 1
        ):
            score_criteria(open_round, [criterion], by=office)
            return criterion
    raise AssertionError("no criterion led by 市质监局")


@pytest.fixture
def finding(open_round, office, zhijian_criterion):
    return services.create_finding(open_round, zhijian_criterion, by=office, due=FUTURE)


@pytest.fixture
def other_liaison(orgs):
    return make_persona("t-liaison-zhujian", Role.LIAISON, "市住建局")


@pytest.fixture
def stranger_liaison(finding):
    """A liaison of a unit that is neither responsible for nor cooperating on `finding`."""
    involved = {finding.unit_id, *finding.cooperating_units.values_list("pk", flat=True)}
    unit = Unit.objects.exclude(pk__in=involved).order_by("position", "code").first()
    return make_persona("t-liaison-stranger", Role.LIAISON, unit.name)


@pytest.fixture
def liaison_evidence(settings, tmp_path, campaign, liaison, zhijian):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("rectification.pdf", _pdf("rectification"), "application/pdf")
    return services.upload_evidence(
        campaign,
        upload,
        by=liaison,
        title="整改情况报告",
        unit=zhijian,
        effective_date=dt.date(2019, 6, 1),
    )


def create_url(rnd, criterion) -> str:
    return reverse("assessments:finding_create", args=[rnd.pk, criterion.pk])


def action_url(finding, action: str) -> str:
    return reverse("assessments:finding_action", args=[finding.pk, action])


def detail_url(finding) -> str:
    return reverse("assessments:finding_detail", args=[finding.pk])


def forms_on(body: str) -> set[str]:
    return set(re.findall(r'data-testid="action-([\w-]+)"', body))


# --- creation from a gap row ------------------------------------------------------------------


def test_office_creates_a_finding_from_a_gap_row(client, office, open_round, zhijian_criterion):
    client.force_login(office)
    gaps = html(client.get(reverse("assessments:gaps", args=[open_round.pk])))
    default_due = timezone.localdate() + dt.timedelta(days=30)
    assert f'value="{default_due:%Y-%m-%d}"' in gaps
    assert create_url(open_round, zhijian_criterion) in gaps

    response = client.post(create_url(open_round, zhijian_criterion), {"due": "2030-06-30"})
    created = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(created)
    assert created.unit.name == "市质监局"
    assert created.due == FUTURE
    assert created.status == "open"
    expected = {
        u.pk
        for u in services.cooperating_units_of(open_round.campaign, zhijian_criterion)
        if u.name != "市质监局"
    }
    assert expected and set(created.cooperating_units.values_list("pk", flat=True)) == expected
    event = AuditEvent.objects.get(action="finding.created")
    assert event.object_type == "assessments.finding" and event.object_id == str(created.pk)
    assert event.actor == office

    body = html(client.get(detail_url(created)))
    assert "已生成整改任务" in body
    assert zhijian_criterion.key in body and zhijian_criterion.text[:20] in body
    assert 'data-testid="unit">市质监局<' in body
    cooperating = re.search(r'data-testid="cooperating">(.*?)</dd>', body, re.S).group(1)
    assert all(u.name in cooperating for u in created.cooperating_units.all())
    assert 'data-testid="due">2030-06-30<' in body
    history = re.search(r'data-testid="history">(.*?)</table>', body, re.S).group(1)
    assert "生成整改任务" in history and "待整改" in history


@pytest.mark.parametrize("due", ["", "2030-02-30", "明天", "30/06/2030"])
def test_an_invalid_due_date_shows_a_message_and_creates_nothing(
    client, office, open_round, zhijian_criterion, due
):
    client.force_login(office)
    response = client.post(create_url(open_round, zhijian_criterion), {"due": due}, follow=True)
    assert response.status_code == 400
    body = html(response)
    assert "请填写整改期限。" in body or "整改期限不是有效的日期" in body
    assert Finding.objects.count() == 0
    assert not AuditEvent.objects.filter(action="finding.created").exists()


def test_a_criterion_without_lost_points_is_refused_with_a_message(client, office, open_round):
    criterion = criteria_of(open_round)[0]
    score_criteria(open_round, [criterion], by=office, high=True)
    client.force_login(office)
    response = client.post(create_url(open_round, criterion), {"due": "2030-01-01"}, follow=True)
    assert response.status_code == 400
    assert "该项没有失分,不需要整改。" in html(response)
    assert Finding.objects.count() == 0


@pytest.mark.parametrize("persona", ["liaison", "leader", "assessor", "outsider"])
def test_only_the_office_creates_findings(request, client, open_round, zhijian_criterion, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(create_url(open_round, zhijian_criterion), {"due": "2030-01-01"})
    assert response.status_code == 404
    assert Finding.objects.count() == 0


def test_unknown_criteria_and_rounds_get_404(client, office, open_round, zhijian_criterion):
    client.force_login(office)
    url = reverse("assessments:finding_create", args=[open_round.pk, 999999])
    assert client.post(url, {"due": "2030-01-01"}).status_code == 404
    url = reverse("assessments:finding_create", args=[999999, zhijian_criterion.pk])
    assert client.post(url, {"due": "2030-01-01"}).status_code == 404
    # a GET goes back to the gap list
    response = client.get(create_url(open_round, zhijian_criterion))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:gaps", args=[open_round.pk])


# --- the rectification flow -------------------------------------------------------------------


def test_full_flow_liaison_starts_and_fixes_office_verifies(
    client, office, liaison, finding, liaison_evidence
):
    client.force_login(liaison)
    body = html(client.get(detail_url(finding)))
    assert forms_on(body) == {"start", "fix"}
    assert "整改情况报告" in body  # the evidence the liaison may attach

    response = client.post(action_url(finding, "start"))
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "in_progress"

    response = client.post(
        action_url(finding, "fix"),
        {"note": "已完成品牌创建示范区申报。", "evidence": [str(liaison_evidence.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "整改情况已提交,等待创质办复核。" in html(response)
    finding.refresh_from_db()
    assert finding.status == "fixed" and finding.fix_note == "已完成品牌创建示范区申报。"
    assert list(finding.evidence.all()) == [liaison_evidence]
    assert forms_on(html(response)) == set()  # the liaison cannot verify

    assert client.post(action_url(finding, "verify")).status_code == 404
    finding.refresh_from_db()
    assert finding.status == "fixed"

    client.force_login(office)
    body = html(client.get(detail_url(finding)))
    assert forms_on(body) == {"verify", "send-back"}
    response = client.post(action_url(finding, "verify"), follow=True)
    assert "整改已复核通过。" in html(response)
    finding.refresh_from_db()
    assert finding.status == "verified" and finding.verified_at is not None

    body = html(client.get(detail_url(finding)))
    history = re.search(r'data-testid="history">(.*?)</table>', body, re.S).group(1)
    for label in ("生成整改任务", "开始整改", "提交整改完成", "复核通过"):
        assert label in history
    assert "待整改 → 整改中" in history and "整改中 → 已整改" in history
    assert "已整改 → 已复核" in history
    assert "已完成品牌创建示范区申报。" in history
    assert "整改情况报告" in re.search(r'data-testid="evidence">(.*?)</dd>', body, re.S).group(1)
    actions = list(
        AuditEvent.objects.filter(object_type="assessments.finding", object_id=str(finding.pk))
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["finding.created", "finding.start", "finding.fix", "finding.verify"]


def test_office_sends_back_with_a_reason_and_the_liaison_fixes_again(
    client, office, liaison, finding
):
    services.mark_fixed(finding, by=liaison, note="第一次整改。")
    client.force_login(office)

    response = client.post(action_url(finding, "send_back"), {"reason": "   "})
    assert response.status_code == 400
    assert "退回整改必须说明原因。" in html(response)
    finding.refresh_from_db()
    assert finding.status == "fixed" and finding.return_reason == ""

    response = client.post(
        action_url(finding, "send_back"), {"reason": "缺少验收材料。"}, follow=True
    )
    assert "整改已退回责任单位。" in html(response)
    finding.refresh_from_db()
    assert finding.status == "in_progress" and finding.return_reason == "缺少验收材料。"
    body = html(response)
    assert 'data-testid="return-reason">缺少验收材料。<' in body
    history = re.search(r'data-testid="history">(.*?)</table>', body, re.S).group(1)
    assert "退回整改" in history and "缺少验收材料。" in history

    client.force_login(liaison)
    assert forms_on(html(client.get(detail_url(finding)))) == {"fix"}
    client.post(action_url(finding, "fix"), {"note": "已补充验收材料。"})
    finding.refresh_from_db()
    assert finding.status == "fixed" and finding.return_reason == ""


def test_an_empty_fix_note_shows_a_message_and_changes_nothing(client, liaison, finding):
    client.force_login(liaison)
    response = client.post(action_url(finding, "fix"), {"note": "  "})
    assert response.status_code == 400
    assert "请填写整改情况。" in html(response)
    finding.refresh_from_db()
    assert finding.status == "open" and finding.fix_note == ""
    assert not AuditEvent.objects.filter(action="finding.fix").exists()


def test_evidence_the_user_cannot_see_is_refused_and_the_note_kept(
    client, liaison, other_liaison, finding, settings, tmp_path, campaign
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("other.pdf", _pdf("other"), "application/pdf")
    foreign = services.upload_evidence(
        campaign,
        upload,
        by=other_liaison,
        title="住建局材料",
        unit=Unit.objects.get(name="市住建局"),
        effective_date=dt.date(2019, 6, 1),
    )
    client.force_login(liaison)
    for bad in (str(foreign.pk), "999999", "abc"):
        response = client.post(action_url(finding, "fix"), {"note": "整改说明", "evidence": [bad]})
        assert response.status_code == 400
        body = html(response)
        assert "所选佐证材料不存在,或您无权使用。" in body
        assert "整改说明" in body  # the typed note is kept
        assert "住建局材料" not in body
    finding.refresh_from_db()
    assert finding.status == "open"


def test_a_wrong_transition_shows_the_message(client, office, finding):
    client.force_login(office)
    response = client.post(action_url(finding, "verify"))
    assert response.status_code == 400
    assert "整改当前为“待整改”,不能执行此操作。" in html(response)
    finding.refresh_from_db()
    assert finding.status == "open"


def test_unknown_actions_and_gets(client, office, finding):
    client.force_login(office)
    assert client.post(action_url(finding, "delete")).status_code == 404
    response = client.get(action_url(finding, "start"))
    assert response.status_code == 302 and response["Location"] == detail_url(finding)
    finding.refresh_from_db()
    assert finding.status == "open"


def test_a_liaison_of_another_unit_neither_sees_nor_acts(client, stranger_liaison, finding):
    client.force_login(stranger_liaison)
    assert client.get(detail_url(finding)).status_code == 404
    for action in ("start", "fix", "verify", "send_back"):
        response = client.post(action_url(finding, action), {"note": "x", "reason": "x"})
        assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.status == "open"
    assert not AuditEvent.objects.filter(actor=stranger_liaison).exists()


def test_a_cooperating_unit_liaison_reads_but_cannot_act(client, open_round, finding):
    cooperating = finding.cooperating_units.order_by("pk").first()
    user = make_persona("t-liaison-coop", Role.LIAISON, cooperating.name)
    client.force_login(user)
    body = html(client.get(detail_url(finding)))
    assert forms_on(body) == set()
    assert client.post(action_url(finding, "start")).status_code == 404


@pytest.mark.parametrize("persona", ["leader", "assessor"])
def test_readers_see_the_finding_without_action_forms(request, client, finding, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(detail_url(finding))
    assert response.status_code == 200
    assert forms_on(html(response)) == set()
    assert "您当前没有可办理的操作。" in html(response)
    assert client.post(action_url(finding, "start")).status_code == 404


def test_outsider_gets_404_and_an_empty_list(client, outsider, finding):
    client.force_login(outsider)
    assert client.get(detail_url(finding)).status_code == 404
    body = html(client.get(reverse("assessments:finding_list")))
    assert "尚无整改任务。" in body and finding.title not in body


# --- the list ---------------------------------------------------------------------------------


def _created_weeks_ago(open_round, criterion, office, due):
    """A finding set up three weeks ago whose deadline has passed since (due dates in the past
    are refused when a finding is created)."""
    from django.test.utils import override_settings

    with override_settings(QC_TODAY=due - dt.timedelta(days=18)):
        return services.create_finding(open_round, criterion, by=office, due=due)


@pytest.fixture
def several_findings(open_round, office, zhijian):
    """Five findings: two of 市质监局 (one overdue), others for other lead units."""
    criteria = criteria_of(open_round)[:40]
    score_criteria(open_round, criteria, by=office)
    made = []
    past = timezone.localdate() - dt.timedelta(days=3)
    own = [c for c in criteria if services.lead_unit_of(open_round.campaign, c) == zhijian][:2]
    others = [
        c for c in criteria if services.lead_unit_of(open_round.campaign, c) not in (zhijian, None)
    ][:3]
    assert len(own) == 2 and len(others) == 3
    made.append(_created_weeks_ago(open_round, own[0], office, past))
    made.append(services.create_finding(open_round, own[1], by=office, due=FUTURE))
    for index, criterion in enumerate(others):
        if index == 0:
            made.append(_created_weeks_ago(open_round, criterion, office, past))
        else:
            made.append(services.create_finding(open_round, criterion, by=office, due=FUTURE))
    services.mark_fixed(made[2], by=office, note="已整改。")  # overdue date, but fixed
    return made


def _rows(body: str) -> dict[int, bool]:
    return {
        int(pk): bool(overdue)
        for pk, overdue in re.findall(
            r'<tr data-finding="(\d+)"(?: class="table-danger" data-overdue="(1)")?', body
        )
    }


def test_list_flags_overdue_findings_and_filters(client, office, several_findings):
    own_overdue, own_future, other_fixed, _other_open, _other_open2 = several_findings
    client.force_login(office)
    url = reverse("assessments:finding_list")
    body = html(client.get(url))
    rows = _rows(body)
    assert set(rows) == {f.pk for f in several_findings}
    overdue = {pk for pk, flag in rows.items() if flag}
    assert overdue == {own_overdue.pk}  # fixed ones are not overdue
    fresh = Finding.objects.filter(pk__in=rows)
    assert overdue == {f.pk for f in fresh if services.is_overdue(f)}
    assert "1 项已逾期" in body and "已逾期" in body

    assert set(_rows(html(client.get(url + "?overdue=on")))) == {own_overdue.pk}
    assert set(_rows(html(client.get(url + "?status=fixed")))) == {other_fixed.pk}
    by_unit = html(client.get(url + f"?unit={own_overdue.unit_id}"))
    assert set(_rows(by_unit)) == {own_overdue.pk, own_future.pk}
    by_round = html(client.get(url + f"?round={own_overdue.round_id}"))
    assert set(_rows(by_round)) == {f.pk for f in several_findings}


def test_list_with_bad_filters_shows_a_message(client, office, several_findings):
    client.force_login(office)
    response = client.get(reverse("assessments:finding_list") + "?status=bogus&unit=abc")
    assert response.status_code == 200
    body = html(response)
    assert "alert-danger" in body
    assert set(_rows(body)) == {f.pk for f in several_findings}


def test_liaisons_list_only_findings_of_their_unit(
    client, liaison, other_liaison, several_findings
):
    def concerning(name: str) -> set[int]:
        return {
            f.pk
            for f in several_findings
            if f.unit.name == name or f.cooperating_units.filter(name=name).exists()
        }

    url = reverse("assessments:finding_list")
    client.force_login(liaison)
    listed = set(_rows(html(client.get(url))))
    assert listed == concerning("市质监局")
    assert {f.pk for f in several_findings if f.unit.name == "市质监局"} <= listed
    client.force_login(other_liaison)
    assert set(_rows(html(client.get(url)))) == concerning("市住建局")
    assert len(concerning("市住建局")) < len(several_findings)


def test_finding_list_does_not_grow_with_findings(client, office, open_round):
    criteria = criteria_of(open_round)[:40]
    score_criteria(open_round, criteria, by=office)
    url = reverse("assessments:finding_list")
    client.force_login(office)

    def fetch():
        assert client.get(url).status_code == 200

    def make(chosen):
        for criterion in chosen:
            finding = services.create_finding(open_round, criterion, by=office, due=FUTURE)
            services.start_rectification(finding, by=office)

    make(criteria[:2])
    fetch()
    few = count_queries(fetch)
    make(criteria[2:14])
    many = count_queries(fetch)
    detail = services.create_finding(open_round, criteria[20], by=office, due=FUTURE)
    detail_few = count_queries(lambda: client.get(detail_url(detail)))
    services.start_rectification(detail, by=office)
    services.mark_fixed(detail, by=office, note="x")
    services.send_back_finding(detail, by=office, reason="y")
    detail_many = count_queries(lambda: client.get(detail_url(detail)))
    print("query counts (list, detail):", few, many, detail_few, detail_many)
    assert few == many
    assert detail_few == detail_many


def test_a_due_date_in_the_past_and_a_second_open_finding_are_refused(
    open_round, office, zhijian_criterion
):
    with pytest.raises(ValidationFailed, match="整改期限不能早于今天"):
        services.create_finding(open_round, zhijian_criterion, by=office, due=dt.date(2000, 1, 1))
    services.create_finding(open_round, zhijian_criterion, by=office, due=FUTURE)
    with pytest.raises(ValidationFailed, match="已有未复核的整改任务"):
        services.create_finding(open_round, zhijian_criterion, by=office, due=FUTURE)
