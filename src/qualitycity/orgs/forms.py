from django import forms
from django.utils.translation import gettext_lazy as _

from qualitycity.widgets import FastSelect

from .choices import UnitKind
from .models import Unit

ID_LIMIT = 2**63  # the largest id a database column holds (SQLite raised OverflowError above it)


class PickerWidget(forms.CheckboxSelectMultiple):
    """A multiple choice usable on a phone: a checkbox per choice in a scrolling list, and above it
    a search box that web/ui.js shows and uses to filter the list by the typed text (without script
    the checkboxes alone work; no Ctrl-click). A choice's `full_name`, where it has one, is searched
    too."""

    template_name = "orgs/widgets/picker.html"

    def __init__(self, attrs=None, choices=()):
        attrs = dict(attrs or {})
        attrs.pop("size", None)
        attrs.setdefault("class", "form-check-input")
        super().__init__(attrs, choices)

    def id_for_label(self, id_, index=None):
        # The field's own <label> names the search box; each checkbox has its own label.
        if index is None:
            return f"{id_}_search" if id_ else ""
        return super().id_for_label(id_, index)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        extra = getattr(getattr(value, "instance", None), "full_name", "")
        if extra and isinstance(extra, str):
            option["search"] = extra
        return option


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects by id that refuses anything but ids a database can hold, as a
    form error (Django's own field let an id of 24 digits reach SQLite, which answered 500).

    Rendered as a `PickerWidget` (search box and checkboxes) whatever multiple-choice widget a form
    names, so no list needs Ctrl-click; a field that lays out its own checkboxes still can."""

    widget = PickerWidget

    def __init__(self, *args, **kwargs):
        widget = kwargs.get("widget")
        if widget is not None:
            if isinstance(widget, type):
                widget = widget()
            if type(widget) in (forms.SelectMultiple, forms.CheckboxSelectMultiple):
                attrs = dict(widget.attrs)
                if type(widget) is forms.SelectMultiple:
                    attrs.pop("class", None)
                kwargs["widget"] = PickerWidget(attrs=attrs)
        super().__init__(*args, **kwargs)

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for raw in value:
                text = str(raw).strip()
                if not text.lstrip("-").isdigit() or not -ID_LIMIT < int(text) < ID_LIMIT:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": text[:30]},
                    )
        return super()._check_values(value)


class StyledForm(forms.Form):
    """Tabler classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
                if type(widget) is forms.Select:  # the same markup, rendered in Python
                    widget.__class__ = FastSelect  # its state (choices, required) stays
            elif not isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-control")


class UnitForm(StyledForm):
    name = forms.CharField(label=_("简称"), max_length=100)
    full_name = forms.CharField(label=_("全称"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    aliases = forms.CharField(
        max_length=5000,
        label=_("别名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个别名,例如原文中的其他写法。"),
    )
    is_active = forms.BooleanField(label=_("有效"), required=False)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class GroupForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(
        max_length=2000, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    aliases = forms.CharField(
        max_length=5000,
        label=_("别名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个别名。"),
    )
    members = IdsChoiceField(
        label=_("成员单位"),
        queryset=Unit.objects.select_related("region"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class OrgLoadForm(StyledForm):
    file = forms.FileField(
        label=_("组织数据文件"),
        help_text=_("YAML(.yaml、.yml)或 Excel(.xlsx)文件,不超过 2 MB。"),
    )


class MemberForm(StyledForm):
    """A new account with its first role in the office's region."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=100)
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        help_text=_("设置密码的一次性链接发到这里。"),
        error_messages={"invalid": _("请填写有效的电子邮箱。")},
    )
    phone = forms.CharField(label=_("电话"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("角色"))
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(联络员必选)"),
        error_messages={"invalid_choice": _("所选单位不在本行政区的单位名录中。")},
    )

    def __init__(self, *args, region, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["unit"].queryset = Unit.objects.filter(region=region, is_active=True)


class MembershipForm(StyledForm):
    role = forms.ChoiceField(label=_("角色"))
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(联络员必选)"),
        error_messages={"invalid_choice": _("所选单位不在本行政区的单位名录中。")},
    )

    def __init__(self, *args, region, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["unit"].queryset = Unit.objects.filter(region=region, is_active=True)
