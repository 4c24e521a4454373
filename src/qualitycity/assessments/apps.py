from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "qualitycity.assessments"
    label = "assessments"
    verbose_name = _("考核评分")

    def ready(self) -> None:
        from qualitycity.audit.labels import register

        from .actions import LABELS

        register(LABELS)

        # 我的任务 (a campaigns page) lists the unit's 整改 items (campaigns.my_sections).
        from .my_tasks import register_section

        register_section()
