from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "qualitycity.web"
    label = "web"
    verbose_name = _("页面")

    def ready(self) -> None:
        from django.core import checks

        from . import deploy_checks

        checks.register(deploy_checks.secret_key_is_set, checks.Tags.security, deploy=True)
