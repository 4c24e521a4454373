from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


BADGES = {
    JobStatus: {
        JobStatus.QUEUED: "secondary",
        JobStatus.RUNNING: "blue",
        JobStatus.DONE: "green",
        JobStatus.FAILED: "red",
    }
}
