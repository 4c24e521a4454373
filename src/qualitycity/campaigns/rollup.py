"""Pure: how a measure's (or any set of) tasks roll up into one figure.

No database here: `rollup` takes each task's status, progress and 督办 colour and returns counts
and the rolled-up progress, so the measures pages and their tests agree on one definition:

- cancelled tasks are counted apart and left out of everything else;
- progress is the mean of the other tasks' progress, a done task counting 100% whatever its last
  reported figure, rounded to a whole percent (half up); None when there is no such task;
- done / total is the share of those tasks marked done;
- overdue is the red colour: past the due date and not done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .choices import TaskStatus
from .supervision import BLUE, RED, YELLOW


@dataclass(frozen=True)
class TaskFact:
    status: str
    progress: int
    colour: str | None  # supervision.task_colour on the day


@dataclass
class Rollup:
    total: int = 0  # tasks not cancelled
    cancelled: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: {s: 0 for s in TaskStatus.values})
    red: int = 0
    yellow: int = 0
    blue: int = 0
    progress_sum: int = 0

    @property
    def done(self) -> int:
        return self.statuses[TaskStatus.DONE]

    @property
    def overdue(self) -> int:
        return self.red

    @property
    def progress(self) -> int | None:
        """Mean progress (%) of the tasks not cancelled, done ones counting 100."""
        if not self.total:
            return None
        mean = Decimal(self.progress_sum) / Decimal(self.total)
        return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def done_percent(self) -> int | None:
        if not self.total:
            return None
        share = Decimal(self.done) * 100 / Decimal(self.total)
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def add(self, fact: TaskFact) -> None:
        self.statuses[fact.status] = self.statuses.get(fact.status, 0) + 1
        if fact.status == TaskStatus.CANCELLED:
            self.cancelled += 1
            return
        self.total += 1
        self.progress_sum += 100 if fact.status == TaskStatus.DONE else min(fact.progress, 100)
        if fact.colour in (RED, YELLOW, BLUE):
            setattr(self, fact.colour, getattr(self, fact.colour) + 1)


def rollup(facts: Iterable[TaskFact]) -> Rollup:
    out = Rollup()
    for fact in facts:
        out.add(fact)
    return out
