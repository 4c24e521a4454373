"""The app's clock: QC_TODAY, and `clock.pinned()` for a block (no database)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from qualitycity import clock

DAY = dt.date(2018, 9, 15)
OTHER = dt.date(2017, 12, 28)


@pytest.fixture
def unpinned(settings):
    settings.QC_TODAY = None


def test_without_a_pin_the_clock_is_real(unpinned):
    assert clock.today() == timezone.localdate()
    assert abs(clock.now() - timezone.localtime()) < dt.timedelta(seconds=5)
    assert not clock.is_pinned()


def test_a_pinned_block_answers_its_day_with_the_real_time_of_day(unpinned):
    with clock.pinned(DAY) as day:
        assert day == DAY
        assert clock.today() == DAY
        assert clock.is_pinned()
        now, real = clock.now(), timezone.localtime()
        assert now.date() == DAY
        assert timezone.is_aware(now)
        assert abs(now.replace(year=real.year, month=real.month, day=real.day) - real) < (
            dt.timedelta(seconds=5)
        )
    assert clock.today() == timezone.localdate()
    assert not clock.is_pinned()


def test_a_pin_wins_over_qc_today_and_leaves_it_afterwards(settings):
    settings.QC_TODAY = OTHER
    assert clock.today() == OTHER
    with clock.pinned(DAY):
        assert clock.today() == DAY and clock.now().date() == DAY
    assert clock.today() == OTHER and clock.now().date() == OTHER


def test_pins_nest(unpinned):
    with clock.pinned(DAY):
        with clock.pinned(OTHER):
            assert clock.today() == OTHER
        assert clock.today() == DAY
    assert not clock.is_pinned()


def test_a_pin_is_undone_when_the_block_raises(unpinned):
    with pytest.raises(ZeroDivisionError), clock.pinned(DAY):
        1 / 0  # noqa: B018
    assert not clock.is_pinned()
    assert clock.today() == timezone.localdate()


@pytest.mark.parametrize("value", [dt.datetime(2018, 9, 15, 10), "2018-09-15", None])
def test_only_a_date_can_be_pinned(unpinned, value):
    with pytest.raises(TypeError):
        with clock.pinned(value):
            pass
    assert not clock.is_pinned()


def test_a_pin_holds_for_its_own_thread_only(unpinned):
    seen: dict[str, dt.date] = {}
    both_pinned = threading.Barrier(2)

    def run(name: str, day: dt.date) -> None:
        with clock.pinned(day):
            both_pinned.wait(timeout=5)
            seen[name] = clock.today()

    threads = [threading.Thread(target=run, args=args) for args in (("a", DAY), ("b", OTHER))]
    for thread in threads:
        thread.start()
    with clock.pinned(dt.date(2016, 1, 1)):
        outsider = threading.Thread(target=lambda: seen.update(outsider=clock.today()))
        outsider.start()
        outsider.join()
    for thread in threads:
        thread.join()
    assert seen == {"a": DAY, "b": OTHER, "outsider": timezone.localdate()}
    assert not clock.is_pinned()
