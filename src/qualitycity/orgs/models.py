from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import RegionKind, Role, UnitKind


class Region(models.Model):
    """行政区: a province, its cities and their counties, districts and zones (a tree).

    Each region keeps its own directory (名录) of units, groups and aliases."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级行政区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行政区")
        verbose_name_plural = _("行政区")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="region_name_unique_among_siblings",
                violation_error_message=_("同一上级行政区下已有同名行政区"),
            ),
            # NULL parents are distinct for the constraint above: the top level has its own.
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="region_top_level_name_unique",
                violation_error_message=_("同一上级行政区下已有同名行政区"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """单位: a department, government or organisation that leads or cooperates on work.

    A unit belongs to one region's directory; its code and name are unique within it."""

    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("简称"), max_length=100)
    full_name = models.CharField(_("全称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所属名录"), on_delete=models.PROTECT, related_name="units"
    )
    is_active = models.BooleanField(_("有效"), default=True)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unit_code_in_directory"),
            models.UniqueConstraint(fields=["region", "name"], name="unit_name_in_directory"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitGroup(models.Model):
    """单位组: a named set of units such as 质量强市工作领导小组成员单位, in one directory."""

    region = models.ForeignKey(
        Region, verbose_name=_("所属名录"), on_delete=models.PROTECT, related_name="unit_groups"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True, max_length=2000)
    members = models.ManyToManyField(
        Unit, verbose_name=_("成员单位"), related_name="groups", blank=True
    )
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("单位组")
        verbose_name_plural = _("单位组")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="group_code_in_directory"),
            models.UniqueConstraint(fields=["region", "name"], name="group_name_in_directory"),
        ]

    def __str__(self) -> str:
        return self.name


class Alias(models.Model):
    """Another printed name for one unit or one group (e.g. 市卫计委 for 市卫生计生委), in the
    directory of that unit or group."""

    region = models.ForeignKey(
        Region, verbose_name=_("所属名录"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("别名"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    group = models.ForeignKey(
        UnitGroup,
        verbose_name=_("单位组"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aliases",
    )

    class Meta:
        verbose_name = _("别名")
        verbose_name_plural = _("别名")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, group__isnull=True))
                | (Q(unit__isnull=True, group__isnull=False)),
                name="alias_names_one_unit_or_group",
                violation_error_message=_("别名必须且只能指向一个单位或一个单位组"),
            ),
            models.UniqueConstraint(fields=["region", "name"], name="alias_name_in_directory"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def roles(self) -> set[str]:
        return {m.role for m in self.memberships.all()}


class Membership(models.Model):
    """A user's role in a region, through a unit where the role needs one."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("行政区"), on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("角色成员")
        verbose_name_plural = _("角色成员")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "unit"],
                name="membership_unique",
                violation_error_message=_("该用户已有此角色"),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.LIAISON) | Q(unit__isnull=False),
                name="membership_liaison_has_unit",
                violation_error_message=_("成员单位联络员必须属于一个单位"),
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else self.region.name
        return f"{self.user} · {self.get_role_display()} · {where}"


class ApiToken(models.Model):
    """A personal API token (个人访问令牌): its owner creates, lists and revokes it.

    Only the SHA-256 of the secret is stored (the token is 32 random bytes, so a plain digest is
    as strong as a slow hash); `prefix` is the token's first characters, shown to tell tokens
    apart. A token acts as its owner, with the owner's roles, until it expires or is revoked."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=16)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
