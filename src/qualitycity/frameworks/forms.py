"""The framework import's upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitycity.orgs.forms import StyledForm
from qualitycity.orgs.models import Region

from .xlsx_table import MAX_FILE


class FrameworkImportForm(StyledForm):
    file = forms.FileField(
        label=_("评分表文件"),
        help_text=_(
            "Excel(.xlsx,与本系统导出的评分表版式相同)或 Word(.docx,表格含序号、指标项、"
            "指标内容、具体目标、牵头单位、配合单位、分值等列),不超过 5 MB。"
        ),
        error_messages={
            "required": _("请选择要上传的评分表文件。"),
            "empty": _("文件是空的。"),
            "invalid": _("没有收到文件,请重新选择。"),
        },
    )
    code = forms.SlugField(
        label=_("体系代码"),
        required=False,
        max_length=60,
        help_text=_("如 hengyang-2018;Excel 文件自带代码时可不填。"),
        error_messages={"invalid": _("体系代码只能由字母、数字、连字符和下划线组成。")},
    )
    region = forms.ModelChoiceField(
        label=_("核对单位名称的行政区"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("不核对"),
        help_text=_("表中的牵头、配合单位按该行政区的单位名录核对,未知的名称给出建议。"),
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        first = regions.first() if regions is not None else None
        if first is not None and not self.is_bound:
            self.fields["region"].initial = first.pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload
