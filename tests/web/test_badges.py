"""Status badges: the colours declared beside the choices, and the status_badge / status_dot tags."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.db.models import TextChoices
from django.template import engines
from django.urls import reverse
from django.utils import translation

from qualitycity.assessments.choices import NAStatus, RoundStatus
from qualitycity.campaigns.choices import MeetingKind, ReportStatus, TaskStatus
from qualitycity.indicators import evaluation
from qualitycity.indicators.choices import EvaluationStatus
from qualitycity.web.badges import PALETTE, badge, colours
from tests.factories import make_task
from tests.test_i18n import compiled_messages  # noqa: F401  (the English catalog, compiled)

SRC = Path(__file__).resolve().parents[2] / "src"
CHOICES_MODULES = sorted(
    f"qualitycity.{path.parent.name}.choices" for path in (SRC / "qualitycity").glob("*/choices.py")
)
# Choices shown as badges that are not called …Status.
KINDS = {MeetingKind}


def choices_classes(module) -> list[type[TextChoices]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, TextChoices)
        and value.__module__ == module.__name__
    ]


def status_choices() -> list[tuple[str, type[TextChoices]]]:
    found = []
    for name in CHOICES_MODULES:
        module = import_module(name)
        for choices in choices_classes(module):
            if choices.__name__.endswith("Status") or choices in KINDS:
                found.append((name, choices))
    return found


# --- the colours, beside the choices -----------------------------------------------------------


def test_the_apps_choices_modules_are_all_seen():
    assert {m.split(".")[1] for m in CHOICES_MODULES} >= {
        "assessments",
        "campaigns",
        "indicators",
        "orgs",
    }
    names = {c.__name__ for _, c in status_choices()}
    assert names >= {
        "RoundStatus",
        "NAStatus",
        "FindingStatus",
        "TaskStatus",
        "ReportStatus",
        "NoticeStatus",
        "MeetingKind",
        "EvaluationStatus",
    }


@pytest.mark.parametrize(
    ("module", "choices"), status_choices(), ids=lambda x: getattr(x, "__name__", x)
)
def test_every_member_of_every_status_has_a_palette_colour(module, choices):
    badges = import_module(module).BADGES
    assert choices in badges, f"{choices.__name__} has no colours in {module}.BADGES"
    mapping = badges[choices]
    assert list(mapping) == list(choices), "one colour per member, in the members' order"
    assert all(isinstance(key, choices) for key in mapping)
    assert set(mapping.values()) <= PALETTE


@pytest.mark.parametrize("module", CHOICES_MODULES)
def test_badges_name_only_choices_of_their_module(module):
    mod = import_module(module)
    assert set(getattr(mod, "BADGES", {})) <= set(choices_classes(mod))


def test_the_palette_is_tablers():
    assert {"blue", "azure", "red", "orange", "yellow", "green", "secondary", "dark"} <= PALETTE
    assert all(re.fullmatch(r"[a-z]+", colour) for colour in PALETTE)


def test_the_evaluation_statuses_are_the_evaluations():
    assert tuple(EvaluationStatus.values) == evaluation.STATUSES
    with translation.override("zh-hans"):
        for status in evaluation.STATUSES:
            assert EvaluationStatus(status).label == evaluation.Evaluation(status, "").label


def test_colours_are_found_by_app_and_class_name():
    choices, mapping = colours("campaigns.TaskStatus")
    assert choices is TaskStatus and mapping[TaskStatus.DONE] == "green"
    for name in ("campaigns.WorkRole", "campaigns.Nothing", "nowhere.TaskStatus", "TaskStatus"):
        with pytest.raises(LookupError):
            colours(name)


def test_a_badge_from_a_value_or_a_member():
    with translation.override("zh-hans"):
        assert badge("done", "campaigns.TaskStatus") == badge(
            TaskStatus.DONE, "campaigns.TaskStatus"
        )
        b = badge(RoundStatus.LOCKED, "assessments.RoundStatus")
        assert (b.value, b.label, b.colour) == ("locked", "已锁定", "secondary")
        b = badge("", "assessments.NAStatus")
        assert (b.value, b.label) == ("", "未申请")


def test_an_unknown_value_is_shown_as_it_is():
    b = badge("mystery", "campaigns.TaskStatus")
    assert (b.value, b.label, b.colour) == ("mystery", "mystery", "secondary")
    assert badge(None, "campaigns.TaskStatus").value == ""


# --- the tags ----------------------------------------------------------------------------------


def render(source: str, lang: str = "zh-hans", **context) -> str:
    with translation.override(lang):
        return engines["django"].from_string("{% load badges %}" + source).render(context)


def test_status_badge_html():
    assert (
        render('{% status_badge s "campaigns.TaskStatus" %}', s="done")
        == '<span class="badge bg-green-lt" data-status="done">已完成</span>'
    )
    assert (
        render('{% status_badge s "campaigns.TaskStatus" %}', s=TaskStatus.CANCELLED)
        == '<span class="badge bg-dark-lt" data-status="cancelled">已取消</span>'
    )
    assert (
        render('{% status_badge s "assessments.FindingStatus" %}', s="open")
        == '<span class="badge bg-red-lt" data-status="open">待整改</span>'
    )


def test_status_badge_attributes():
    assert (
        render(
            '{% status_badge r "campaigns.ReportStatus" attr="data-report-status" %}',
            r=ReportStatus.RETURNED,
        )
        == '<span class="badge bg-orange-lt" data-report-status="returned">已退回</span>'
    )
    assert (
        render('{% status_badge k "campaigns.MeetingKind" attr="data-kind" %}', k="summary")
        == '<span class="badge bg-yellow-lt" data-kind="summary">总结大会</span>'
    )
    assert (
        render(
            '{% status_badge r "assessments.RoundStatus" attr=None testid="round-status" %}',
            r="submitted",
        )
        == '<span class="badge bg-yellow-lt" data-testid="round-status">已提交</span>'
    )
    assert (
        render('{% status_badge r "assessments.RoundStatus" attr=None %}', r="open")
        == '<span class="badge bg-green-lt">进行中</span>'
    )


def test_status_badge_with_its_own_label():
    source = (
        '{% load i18n %}{% status_badge s "assessments.NAStatus" attr=None label=_("合理缺项") %}'
    )
    assert render(source, s=NAStatus.APPROVED) == '<span class="badge bg-azure-lt">合理缺项</span>'


def test_status_badge_escapes():
    assert (
        render('{% status_badge s "campaigns.TaskStatus" %}', s='<b a="1">')
        == '<span class="badge bg-secondary-lt" data-status="&lt;b a=&quot;1&quot;&gt;">'
        "&lt;b a=&quot;1&quot;&gt;</span>"
    )


def test_status_dot_html():
    assert (
        render('{% status_dot s "indicators.EvaluationStatus" %}', s="not_met")
        == '<span class="status status-red" data-status="not_met"><span class="status-dot"></span>未达标</span>'
    )
    assert (
        render('{% status_dot s "indicators.EvaluationStatus" %}', s=evaluation.NO_DATA)
        == '<span class="status status-secondary" data-status="no_data"><span class="status-dot"></span>数据不足</span>'
    )


def test_an_unknown_choices_name_fails_loudly():
    with pytest.raises(LookupError):
        render('{% status_badge "done" "campaigns.TaskStatuses" %}')


@pytest.mark.usefixtures("compiled_messages")
def test_the_labels_follow_the_language():
    source = '{% status_badge s "campaigns.TaskStatus" %} {% status_dot m "indicators.EvaluationStatus" %}'
    chinese = render(source, "zh-hans", s="in_progress", m="met")
    english = render(source, "en", s="in_progress", m="met")
    with translation.override("en"):
        task_label, met_label = str(TaskStatus.IN_PROGRESS.label), str(EvaluationStatus.MET.label)
    assert "推进中" in chinese and "达标" in chinese
    assert task_label != "推进中" and met_label != "达标"
    assert english == (
        f'<span class="badge bg-azure-lt" data-status="in_progress">{task_label}</span> '
        f'<span class="status status-green" data-status="met"><span class="status-dot"></span>{met_label}</span>'
    )


# --- the pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_pages_show_the_status_badge(client, office, campaign):
    task = make_task(campaign, office)
    client.force_login(office)
    expected = '<span class="badge bg-secondary-lt" data-status="not_started">未开始</span>'
    assert (
        expected in client.get(reverse("campaigns:task_list", args=[campaign.pk])).content.decode()
    )
    assert expected in client.get(reverse("campaigns:task_detail", args=[task.pk])).content.decode()


@pytest.mark.django_db
def test_the_round_pages_show_the_status_badge(client, office, open_round):
    client.force_login(office)
    body = client.get(reverse("assessments:round_summary", args=[open_round.pk])).content.decode()
    assert '<span class="badge bg-green-lt" data-testid="round-status">进行中</span>' in body
    body = client.get(reverse("assessments:round_list")).content.decode()
    assert '<td><span class="badge bg-green-lt">进行中</span></td>' in body


# --- no hand-written status badges -------------------------------------------------------------

# A badge (or status dot) whose colour is chosen in its class attribute…
COLOUR_IN_CLASS = re.compile(r'class="(?:badge|status)\b[^"]*\{%\s*(?:el)?if\b')
# …or a badge span chosen by comparing a status (or kind) with one value.
BADGE_PER_STATUS = re.compile(
    r"\{%\s*(?:el)?if\s+[\w.]*(?:status|kind)\s*==\s*([\"'])[^\"']*\1\s*%\}\s*"
    r'<span class="(?:badge|status)\b'
)


def hand_written(text: str) -> list[str]:
    return [
        m.group(0)
        for pattern in (COLOUR_IN_CLASS, BADGE_PER_STATUS)
        for m in pattern.finditer(text)
    ]


@pytest.mark.parametrize(
    "snippet",
    [
        "<span class=\"badge {% if status == 'done' %}bg-green-lt{% else %}bg-dark-lt{% endif %}\">",
        "<span class=\"badge {% if r.status == 'open' %}bg-green-lt{% endif %}\">{{ r.get_status_display }}</span>",
        '{% if result.status == "met" %}<span class="status status-green" data-status="met">',
        '{% elif s.na_status == "pending" %}<span class="badge bg-yellow-lt">',
    ],
)
def test_the_scan_knows_a_hand_written_badge(snippet):
    assert hand_written(snippet)


def test_no_template_writes_a_status_badge_by_hand():
    found = {}
    for path in sorted(SRC.rglob("templates/**/*.html")):
        hits = hand_written(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(SRC))] = hits
    assert found == {}
