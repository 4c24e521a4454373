from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qualitycity.orgs.forms import StyledForm
from qualitycity.orgs.models import Region

from .choices import Series
from .imports import MAX_BYTES


class ObservationForm(StyledForm):
    series = forms.ChoiceField(label=_("数据序列"), choices=Series.choices, initial=Series.VALUE)
    region = forms.ModelChoiceField(
        label=_("行政区"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("(全国平均值不选)"),
    )
    period = forms.CharField(label=_("期间"), max_length=20)
    value = forms.CharField(label=_("数值"), max_length=40)
    source = forms.CharField(label=_("数据来源"), max_length=300, required=False)
    note = forms.CharField(
        max_length=2000, label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, regions: QuerySet[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("数据文件"),
        help_text=_("Excel(.xlsx)或 CSV 文件,不超过 5 MB,按模板填写。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload
