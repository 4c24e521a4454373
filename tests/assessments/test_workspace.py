"""The scoring workspace page: inputs per rule, htmx saves, stale saves, access, query counts."""

from decimal import Decimal as D

import pytest

from qualitycity.assessments import services
from qualitycity.assessments.models import Score
from qualitycity.frameworks.models import Criterion
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def url(rnd, criterion=None, na=False):
    if criterion is None:
        return f"/rounds/{rnd.pk}/score/"
    return f"/rounds/{rnd.pk}/{'na' if na else 'score'}/{criterion.pk}/"


def crit(rnd, key):
    return Criterion.objects.get(framework=rnd.campaign.framework, key=key)


def test_it_shows_one_dimension_with_an_input_per_rule(client, open_round, assessor):
    client.force_login(assessor)
    body = client.get(url(open_round) + "?dim=1").content.decode()
    assert body.count('data-criterion="') == 6  # rows 1–6
    assert "城市质量发展战略规划明确清晰" in body
    assert 'name="value" type="number"' in body  # manual and threshold rows
    assert "是" in body and "否" in body  # binary rows
    body4 = client.get(url(open_round) + "?dim=4").content.decode()
    assert "机构由副市长负责(15分)" in body4  # tiers
    assert "未评分" in body


def test_an_unknown_dimension_is_404(client, open_round, assessor):
    client.force_login(assessor)
    assert client.get(url(open_round) + "?dim=11").status_code == 404
    assert client.get(url(open_round) + "?dim=x").status_code == 200


def test_the_all_tab_shows_every_row_under_its_dimension(client, open_round, assessor):
    client.force_login(assessor)
    body = client.get(url(open_round) + "?dim=all").content.decode()
    rows = Criterion.objects.filter(framework=open_round.campaign.framework).count()
    assert body.count('data-criterion="') == rows == 125
    assert body.count('data-testid="dimension-heading"') == 10
    assert 'class="nav-link active" href="?dim=all"' in body
    assert "全部指标项" in body
    # each form says the page it was sent from
    assert body.count('name="dim" value="all"') == body.count('name="version"') >= rows
    # dimension 1 comes before dimension 10 and its heading before its first row
    assert body.index("1. ") < body.index('data-criterion="1.1.1"') < body.index("10. ")


def test_a_save_on_the_all_tab_answers_with_the_whole_tables_counts(client, open_round, assessor):
    client.force_login(assessor)
    c = crit(open_round, "1.1.2")
    one = client.post(url(open_round, c), {"value": "7", "version": "0"}, **HX).content.decode()
    assert 'name="dim" value="all"' not in one
    assert "未评分 5 项" in one  # dimension 1's six rows, one scored
    c2 = crit(open_round, "1.1.1")
    body = client.post(
        url(open_round, c2), {"value": "yes", "version": "0", "dim": "all"}, **HX
    ).content.decode()
    assert 'name="dim" value="all"' in body
    assert "未评分 123 项" in body  # the whole table: 125 rows, two scored
    plain = client.post(url(open_round, c2), {"value": "no", "version": "1", "dim": "all"})
    assert plain.status_code == 302
    assert plain["Location"].endswith(f"?dim=all#crit-{c2.pk}")


def test_an_htmx_save_returns_the_row_and_the_totals(client, open_round, assessor):
    client.force_login(assessor)
    c = crit(open_round, "1.1.2")
    response = client.post(
        url(open_round, c), {"value": "7", "comment": "好", "version": "0"}, **HX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="crit-{c.pk}"' in body
    assert 'data-testid="points">7<' in body
    assert 'id="totals"' in body and 'hx-swap-oob="true"' in body
    assert Score.objects.get(round=open_round, criterion=c).comment == "好"


def test_a_stale_save_gets_409_and_the_current_value_stays(client, open_round, assessor, office):
    c = crit(open_round, "1.1.2")
    services.save_score(open_round, c, by=office, value="9", expected_version=0)
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value": "2", "version": "0"}, **HX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "请刷新后再保存" in body
    assert "您刚才输入的“2 分”未保存" in body
    assert 'data-testid="points">9<' in body  # the row shows what is stored now
    assert Score.objects.get(round=open_round, criterion=c).points == D(9)


def test_bad_input_gets_422_with_the_rule_message(client, open_round, assessor):
    c = crit(open_round, "4.1.1")
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value": "随便", "version": "0"}, **HX)
    assert response.status_code == 422
    assert "请选择以下档次之一" in response.content.decode()
    assert not Score.objects.exists()


def test_a_refused_plain_post_is_a_422_with_the_reason_and_a_way_back(client, open_round, assessor):
    c = crit(open_round, "1.1.2")
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value": "99", "version": "0"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "得分必须在 0 到 10 分之间" in body and f"#crit-{c.pk}" in body
    assert not Score.objects.exists()


def test_a_good_plain_post_goes_back_to_the_row(client, open_round, assessor):
    c = crit(open_round, "1.1.2")
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value": "7", "version": "0"})
    assert response.status_code == 302 and f"#crit-{c.pk}" in response["Location"]


def test_a_stale_plain_post_is_a_409(client, open_round, assessor, office):
    c = crit(open_round, "1.1.2")
    services.save_score(open_round, c, by=office, value="9", expected_version=0)
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value": "2", "version": "0"})
    assert response.status_code == 409
    assert Score.objects.get(round=open_round, criterion=c).points == D(9)


@pytest.mark.parametrize("persona", ["leader"])
def test_readers_who_post_a_score_are_told_why_and_nothing_is_written(
    request, client, open_round, persona
):
    # They see the round, so the refusal is a message on the row (403), not a silent 404.
    c = crit(open_round, "1.1.1")
    client.force_login(request.getfixturevalue(persona))
    response = client.post(url(open_round, c), {"value": "yes", "version": "0"}, **HX)
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="row-error"' in body and "不能评分" in body
    assert not Score.objects.exists()


def test_an_outsider_posting_a_score_gets_404(client, open_round, outsider):
    c = crit(open_round, "1.1.1")
    client.force_login(outsider)
    response = client.post(url(open_round, c), {"value": "yes", "version": "0"}, **HX)
    assert response.status_code == 404
    assert not Score.objects.exists()


@pytest.mark.parametrize("persona", ["leader"])
def test_readers_see_the_workspace_without_inputs(request, client, open_round, persona):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(url(open_round)).content.decode()
    assert "只能查看评分" in body
    assert 'name="value"' not in body


def test_outsiders_get_404(client, open_round, outsider):
    client.force_login(outsider)
    assert client.get(url(open_round)).status_code == 404


def test_a_locked_round_is_read_only(client, open_round, assessor, office):
    services.submit_round(open_round, by=assessor)
    services.lock_round(open_round, by=office)
    client.force_login(office)
    body = client.get(url(open_round)).content.decode()
    assert 'name="value"' not in body
    assert "评分只读" in body
    c = crit(open_round, "1.1.1")
    response = client.post(url(open_round, c), {"value": "yes", "version": "0"}, **HX)
    assert response.status_code == 422
    assert "已锁定" in response.content.decode()


def test_not_applicable_claim_and_approval_through_the_page(client, open_round, assessor, office):
    c = crit(open_round, "3.6.2")
    client.force_login(assessor)
    response = client.post(url(open_round, c, na=True), {"reason": "", "version": "0"}, **HX)
    assert response.status_code == 422
    assert "必须说明理由" in response.content.decode()
    response = client.post(
        url(open_round, c, na=True), {"reason": "永州市无口岸", "version": "0"}, **HX
    )
    assert response.status_code == 200
    assert "合理缺项待审核" in response.content.decode()
    client.force_login(office)
    response = client.post(
        url(open_round, c, na=True), {"decision": "approve", "version": "1"}, **HX
    )
    assert response.status_code == 200
    score = Score.objects.get(round=open_round, criterion=c)
    assert score.na_status == "approved"
    assert score.na_decided_by == office


def test_workspace_queries_do_not_grow_with_scores(client, open_round, office):
    client.force_login(office)
    client.get(url(open_round))
    few = count_queries(lambda: client.get(url(open_round) + "?dim=2"))
    for c in Criterion.objects.filter(framework=open_round.campaign.framework, rule__type="binary"):
        services.save_score(open_round, c, by=office, value="yes", expected_version=0)
    assert Score.objects.count() > 30
    many = count_queries(lambda: client.get(url(open_round) + "?dim=2"))
    assert few == many
    assert many <= 20


def test_a_deduction_row_is_scored_by_its_count(client, office, tmp_path):
    """扣分制 in another city's table: 10 points, 2 off for each incident, never below 0."""
    import datetime as dt

    import yaml

    from qualitycity.assessments.services import create_round
    from qualitycity.campaigns.services import create_campaign
    from qualitycity.frameworks.loader import load_framework

    path = tmp_path / "deduct.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "code": "deduct",
                "title": "扣分制评分表",
                "dimensions": [
                    {
                        "number": 1,
                        "title": "质量安全",
                        "items": [
                            {
                                "code": "1.1",
                                "title": "质量安全事故",
                                "max_points": 10,
                                "criteria": [
                                    {
                                        "row": 1,
                                        "text": "发生质量安全事故的,每起扣2分,扣完为止(10分)",
                                        "points": 10,
                                        "rule": {"type": "deduction", "per": 2, "unit": "起"},
                                        "lead_units": ["市质监局"],
                                    }
                                ],
                            }
                        ],
                    }
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    framework, _created = load_framework(path)
    campaign = create_campaign(
        by=office,
        name="扣分制测试",
        region=office.memberships.get().region,
        framework=framework,
        start=dt.date(2018, 1, 1),
        end=dt.date(2018, 12, 31),
        phases=(),
    )
    rnd = create_round(
        campaign,
        by=office,
        kind="self",
        name="自评",
        start=dt.date(2018, 11, 1),
        end=dt.date(2018, 11, 30),
        assessors=[],
    )
    criterion = Criterion.objects.get(framework=framework)
    client.force_login(office)
    body = client.get(url(rnd) + "?dim=1").content.decode()
    assert "扣分:每起扣 2 分,扣完为止" in body
    assert 'name="value" type="number"' in body and ">起</span>" in body
    response = client.post(url(rnd, criterion), {"value": "3", "version": "0"}, **HX)
    assert response.status_code == 200
    assert Score.objects.get(round=rnd, criterion=criterion).points == D(4)
    response = client.post(url(rnd, criterion), {"value": "-1", "version": "1"}, **HX)
    assert response.status_code == 422
    assert Score.objects.get(round=rnd, criterion=criterion).points == D(4)


# --- all / any rows: one input per condition ----------------------------------------------------


def test_a_composite_row_has_an_input_per_condition_and_scores_the_combination(
    client, open_round, assessor
):
    c = Criterion.objects.get(framework=open_round.campaign.framework, row="82")
    client.force_login(assessor)
    body = client.get(url(open_round) + "?dim=6").content.decode()
    row = body[body.index(f'id="crit-{c.pk}"') :]
    row = row[: row.index("</tr>")]
    assert row.count('data-testid="sub-input"') == 2
    assert 'name="value-0"' in row and 'name="value-1"' in row and 'name="value"' not in row
    assert "当年出口商品未发生出口商品遭境外通报或退运" in row and "达标" in row
    response = client.post(
        url(open_round, c), {"value-0": "yes", "value-1": "no", "version": "0"}, **HX
    )
    assert response.status_code == 200
    assert 'data-testid="points">0<' in response.content.decode()
    score = Score.objects.get(round=open_round, criterion=c)
    assert score.value == {"input": [True, False]} and score.points == 0
    response = client.post(
        url(open_round, c), {"value-0": "yes", "value-1": "yes", "version": "1"}, **HX
    )
    body = response.content.decode()
    assert 'data-testid="points">10<' in body
    assert body.count(" selected") >= 2  # both conditions show what is stored
    any_row = Criterion.objects.get(framework=open_round.campaign.framework, row="111")
    client.post(url(open_round, any_row), {"value-0": "no", "value-1": "yes", "version": "0"}, **HX)
    assert Score.objects.get(round=open_round, criterion=any_row).points == D(5)


def test_a_composite_row_with_a_condition_missing_is_refused_naming_it(
    client, open_round, assessor
):
    c = Criterion.objects.get(framework=open_round.campaign.framework, row="110")
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value-0": "yes", "version": "0"}, **HX)
    assert response.status_code == 422
    assert "“消费者投诉率连续3年不断递减”:请填写评分输入" in response.content.decode()
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", ["1E+999999999", "-1E+999999999", "1E-999999999"])
def test_a_number_nobody_can_print_is_a_422_not_a_500(client, open_round, assessor, value):
    c = crit(open_round, "1.1.2")
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value": value, "version": "0"}, **HX)
    assert response.status_code == 422
    assert "超出可接受的范围" in response.content.decode()
    assert not Score.objects.exists()


# --- what a save changes elsewhere on the page comes back out of band ---------------------------


def _oob(body: str, element_id: str) -> str:
    """The out-of-band element with this id in an htmx answer (its opening tag to its end)."""
    import re

    match = re.search(rf'<(\w+) id="{element_id}"([^>]*)>(.*?)</\1>', body, re.S)
    assert match, f"no #{element_id} in the answer"
    assert 'hx-swap-oob="true"' in match.group(2), f"#{element_id} is not out of band"
    return match.group(3)


def test_a_save_sends_the_item_subtotal_badges_and_counts_out_of_band(client, open_round, assessor):
    c = crit(open_round, "1.1.2")  # item 1.1, dimension 1 (6 rows), 125 rows in all
    n_all = Criterion.objects.filter(framework=open_round.campaign.framework).count()
    client.force_login(assessor)
    page = client.get(url(open_round) + "?dim=1").content.decode()
    assert f'id="item-total-{c.item_id}"' in page and 'id="tab-badge-1"' in page
    response = client.post(url(open_round, c), {"value": "7", "version": "0"}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "得分 7 / 20" in _oob(body, f"item-total-{c.item_id}")
    assert _oob(body, "tab-badge-1").strip() == "5"
    assert _oob(body, "tab-badge-2").strip() != ""  # every tab comes back
    assert "未评分 5 项" in _oob(body, "dim-counts")
    assert f"全表尚有 {n_all - 1} 项未评分" in _oob(body, "unscored-total")
    assert f'data-testid="unscored">{n_all - 1}<' in body
    assert 'data-testid="earned">7<' in body


def test_a_refused_save_still_answers_with_the_current_counts(client, open_round, assessor):
    c = crit(open_round, "1.1.2")
    client.force_login(assessor)
    response = client.post(url(open_round, c), {"value": "99", "version": "0"}, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="row-error"' in body
    assert _oob(body, "tab-badge-1").strip() == "6"


def test_a_save_runs_a_fixed_number_of_queries(client, open_round, office):
    client.force_login(office)
    c = crit(open_round, "1.1.2")
    indicator = Criterion.objects.filter(
        framework=open_round.campaign.framework, rule__type="indicator"
    ).first()

    def save(criterion, value):
        version = Score.objects.filter(round=open_round, criterion=criterion).first()
        data = {"value": value, "version": str(version.version if version else 0)}
        response = client.post(url(open_round, criterion), data, **HX)
        assert response.status_code == 200

    save(c, "2")  # the first save creates the row; the counted ones update it
    save(indicator, "no")
    few = count_queries(lambda: save(c, "3"))
    few_indicator = count_queries(lambda: save(indicator, "yes"))
    for other in Criterion.objects.filter(
        framework=open_round.campaign.framework, rule__type="binary"
    ):
        services.save_score(open_round, other, by=office, value="yes", expected_version=0)
    assert Score.objects.count() > 30
    many = count_queries(lambda: save(c, "4"))
    many_indicator = count_queries(lambda: save(indicator, "no"))
    assert (few, few_indicator) == (many, many_indicator)
    assert many <= 24 and many_indicator <= 27, (many, many_indicator)


# --- read-only scores as people read them ------------------------------------------------------


def _row(body: str, criterion) -> str:
    return body[body.index(f'id="crit-{criterion.pk}"') :].split("</tr>")[0]


def test_read_only_scores_print_labels_and_units(client, open_round, office, leader):
    binary, threshold, manual = (crit(open_round, k) for k in ("1.1.1", "1.3.1", "1.1.2"))
    services.save_score(open_round, binary, by=office, value="yes", expected_version=0)
    services.save_score(open_round, threshold, by=office, value="0.7", expected_version=0)
    services.save_score(open_round, manual, by=office, value="8", expected_version=0)
    client.force_login(leader)
    body = client.get(url(open_round) + "?dim=1").content.decode()
    assert 'data-testid="shown">是<' in _row(body, binary)
    assert 'data-testid="shown">0.7‰<' in _row(body, threshold)
    assert 'data-testid="shown">8 分<' in _row(body, manual)
    assert ">yes<" not in body and ">no<" not in body
    assert "≥0.6‰" in _row(body, threshold)  # the bounds keep their unit too
    services.save_score(open_round, binary, by=office, value="no", expected_version=1)
    body = client.get(url(open_round) + "?dim=1").content.decode()
    assert 'data-testid="shown">否<' in _row(body, binary)


def test_read_only_composites_print_each_condition(client, open_round, office, leader):
    composite = crit(open_round, "8.6.2")  # any of two yes/no conditions
    services.save_score(open_round, composite, by=office, value=["yes", "no"], expected_version=0)
    client.force_login(leader)
    row = _row(client.get(url(open_round) + "?dim=8").content.decode(), composite)
    shown = row.split('data-testid="shown">')[1].split("<")[0]
    assert shown.count("是") == 1 and shown.count("否") == 1 and "yes" not in shown


# --- keyboard: a label on every input ------------------------------------------------------------


def test_every_workspace_input_has_a_label(client, open_round, assessor):
    import re

    client.force_login(assessor)
    for dim in range(1, 11):
        body = client.get(url(open_round) + f"?dim={dim}").content.decode()
        labels = set(re.findall(r'<label[^>]*for="([^"]+)"', body))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", body):
            if 'type="hidden"' in tag:
                continue
            ident = re.search(r'id="([^"]+)"', tag)
            assert "aria-label=" in tag or (ident and ident.group(1) in labels), tag


def test_rules_name_their_indicators_in_the_workspace(client, open_round, assessor, indicators):
    """Issue 11: 指标达标:CERT_COVERAGE (a code) where the indicator has a name; composite rows
    (7.2.1: all of several conditions, one an indicator) too."""
    from tests.helpers import codes_shown

    client.force_login(assessor)
    for dim in (6, 7, 8):
        body = client.get(url(open_round) + f"?dim={dim}").content.decode()
        assert codes_shown(body, indicators) == set(), dim
    body = client.get(url(open_round) + "?dim=7").content.decode()
    assert indicators["ENERGY_SAVING_BUILDING_SHARE"].name in body
    criterion = crit(open_round, "6.1.2")
    row = client.post(url(open_round, criterion), {"value": "yes"}, **HX).content.decode()
    assert f"指标达标:{indicators['CERT_COVERAGE'].name}" in row
