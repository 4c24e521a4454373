"""The one way a page turns a service's refusal into a response."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory

from qualitycity.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationFailed
from qualitycity.refusals import refusals


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_not_allowed_is_the_same_404_as_missing(request_):
    with pytest.raises(Http404), refusals(request_):
        raise NotAllowed("不可以")


@pytest.mark.parametrize("error", [ValidationFailed, InvalidTransition, StaleVersion])
def test_a_refusal_becomes_messages_and_is_reported(request_, error):
    with refusals(request_) as outcome:
        raise error(["第一条。", "第二条。"])
    assert outcome.refused is True
    assert outcome.messages == ["第一条。", "第二条。"]
    assert isinstance(outcome.error, error)
    assert [str(m) for m in get_messages(request_)] == ["第一条。", "第二条。"]


def test_quiet_keeps_the_messages_off_the_page(request_):
    with refusals(request_, quiet=True) as outcome:
        raise ValidationFailed("不行。")
    assert outcome.refused and outcome.messages == ["不行。"]
    assert list(get_messages(request_)) == []


def test_success_is_not_refused(request_):
    with refusals(request_) as outcome:
        pass
    assert outcome.refused is False and outcome.error is None
    assert list(get_messages(request_)) == []


def test_other_errors_propagate(request_):
    with pytest.raises(KeyError), refusals(request_):
        raise KeyError("x")


def test_a_form_page_may_show_not_allowed_as_a_refusal(request_):
    with refusals(request_, forbidden_as_404=False) as outcome:
        raise NotAllowed("您只能为本单位上传佐证材料。")
    assert outcome.refused and isinstance(outcome.error, NotAllowed)
    assert [str(m) for m in get_messages(request_)] == ["您只能为本单位上传佐证材料。"]


def test_joined_makes_one_message_of_the_sentences(request_):
    with refusals(request_, joined=True) as outcome:
        raise ValidationFailed(["第一条。", "第二条。"])
    assert outcome.messages == ["第一条。", "第二条。"]
    assert [str(m) for m in get_messages(request_)] == ["第一条。 第二条。"]
