"""Helpers the campaign services share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.models import Unit, UnitGroup, User

from ..access import is_unit_liaison, manages_campaign
from ..models import Campaign, Task


def require_office(user: User | None, campaign: Campaign) -> None:
    if user is not None and not manages_campaign(user, campaign):
        raise NotAllowed(_("只有本创建工作的创质办可以执行此操作。"))


def may_work(user: User, task: Task) -> bool:
    return manages_campaign(user, task.campaign) or is_unit_liaison(user, task.unit_id)


def directory_problem(campaign: Campaign, target: Unit | UnitGroup) -> str | None:
    """Why a unit or group may not be given the campaign's work (None: it may): only those of
    the campaign's own region directory."""
    if target.region_id == campaign.region_id:
        return None
    return _("“%(unit)s”不在本创建工作所在行政区的单位名录中。") % {"unit": target.name}


def require_directory_unit(campaign: Campaign, unit: Unit | UnitGroup) -> None:
    problem = directory_problem(campaign, unit)
    if problem:
        raise ValidationFailed(problem)
