from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from qualitycity.orgs.access import can_view_frameworks
from qualitycity.orgs.models import User

from .models import Framework


def visible_frameworks(user: User) -> QuerySet[Framework]:
    if not can_view_frameworks(user):
        return Framework.objects.none()
    return Framework.objects.all()


def access_framework(user: User, pk: int) -> Framework:
    framework = visible_frameworks(user).filter(pk=pk).first()
    if framework is None:
        raise Http404
    return framework
