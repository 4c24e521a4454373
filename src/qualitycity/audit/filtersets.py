"""The audit log search (/system/audit/, `web.system.audit_search`): by user, object (type, id,
name), action and date range, with django-filter. A bad value (a date that is no date, a range
that ends before it starts) is a form error: the page answers 400 and lists nothing."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .labels import known_actions, object_type_label
from .models import AuditEvent

TEXT_LIMIT = 100
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9998, 12, 31)  # a day the database can hold


class AuditSearchForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.CharField):
                field.max_length = TEXT_LIMIT
                field.validators.append(MaxLengthValidator(TEXT_LIMIT))
                field.widget.attrs["maxlength"] = str(TEXT_LIMIT)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        for name, day in (("since", since), ("until", until)):
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(name, _("日期超出范围。"))
                return data
        if since and until and until < since:
            raise forms.ValidationError(_("截止日期不能早于起始日期。"))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditEventFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(label=_("操作人"), method="filter_user")
    object_type = django_filters.ChoiceFilter(label=_("对象类型"), empty_label=_("全部类型"))
    object_id = django_filters.CharFilter(label=_("对象编号"), field_name="object_id")
    object = django_filters.CharFilter(
        label=_("对象名称"), field_name="object_repr", lookup_expr="icontains"
    )
    action = django_filters.CharFilter(
        label=_("操作"),
        method="filter_action",
        help_text=_("操作名称的一部分,如“退回”“整改”"),
    )
    since = django_filters.DateFilter(
        label=_("起始日期"),
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = django_filters.DateFilter(
        label=_("截止日期"),
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditSearchForm

    def __init__(self, *args, object_types: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        types = object_types if object_types is not None else []
        self.filters["object_type"].extra["choices"] = sorted(
            ((t, object_type_label(t)) for t in types), key=lambda c: (c[1], c[0])
        )

    def filter_user(self, qs: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        return qs.filter(
            Q(actor_name__icontains=value)
            | Q(actor__full_name__icontains=value)
            | Q(actor__username__icontains=value)
        )

    def filter_action(
        self, qs: QuerySet[AuditEvent], name: str, value: str
    ) -> QuerySet[AuditEvent]:
        """By the action's name in the user's language (退回, 整改) or a part of its code."""
        named = [code for code, label in known_actions().items() if value in label]
        return qs.filter(Q(action__icontains=value) | Q(action__in=named))

    def filter_since(
        self, qs: QuerySet[AuditEvent], name: str, value: dt.date
    ) -> QuerySet[AuditEvent]:
        return qs.filter(at__gte=_day_start(value))

    def filter_until(
        self, qs: QuerySet[AuditEvent], name: str, value: dt.date
    ) -> QuerySet[AuditEvent]:
        return qs.filter(at__lt=_day_start(value + dt.timedelta(days=1)))


def object_types() -> list[str]:
    """The object types in the log (one query)."""
    return list(
        AuditEvent.objects.exclude(object_type="")
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )
