"""Helpers the campaign services share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.models import Unit, User

from ..access import is_unit_liaison, manages_campaign
from ..models import Campaign, Task


def require_office(user: User | None, campaign: Campaign) -> None:
    if user is not None and not manages_campaign(user, campaign):
        raise NotAllowed(_("只有本创建工作的创质办可以执行此操作。"))


def may_work(user: User, task: Task) -> bool:
    return manages_campaign(user, task.campaign) or is_unit_liaison(user, task.unit_id)


def require_directory_unit(campaign: Campaign, unit: Unit) -> None:
    """Work goes only to units of the campaign's own region directory."""
    if unit.region_id != campaign.region_id:
        raise ValidationFailed(
            _("“%(unit)s”不在本创建工作所在行政区的单位名录中。") % {"unit": unit.name}
        )
