"""Names of the audit actions this app records (registered with audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "region.created": _("新增行政区"),
    "region.changed": _("修改行政区"),
    "unit.created": _("新增单位"),
    "unit.changed": _("修改单位"),
    "group.created": _("新增单位组"),
    "group.changed": _("修改单位组"),
    "user.created": _("新增用户"),
    "users.imported": _("批量导入用户"),
    "user.activated": _("启用用户"),
    "user.deactivated": _("停用用户"),
    "user.password_changed": _("修改密码"),
    "token.created": _("创建 API 令牌"),
    "token.revoked": _("撤销 API 令牌"),
    "user.password_link_sent": _("发送设置密码链接"),
    "membership.added": _("分配角色"),
    "membership.changed": _("调整角色"),
    "membership.removed": _("取消角色"),
}
