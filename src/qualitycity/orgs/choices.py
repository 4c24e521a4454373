from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    MANAGEMENT_ZONE = "management_zone", _("管理区")
    DEVELOPMENT_ZONE = "development_zone", _("经济技术开发区")


class UnitKind(models.TextChoices):
    PARTY = "党委部门", _("党委部门")
    GOVERNMENT = "政府部门", _("政府部门")
    COORDINATION = "议事协调机构", _("议事协调机构")
    LOCAL_GOVERNMENT = "县区政府", _("县区政府")
    PARK = "园区管委会", _("园区管委会")
    MEDIA = "媒体", _("媒体")
    STATIONED = "驻永单位", _("驻永单位")
    INSTITUTION = "事业单位", _("事业单位")
    ORGANISATION = "人民团体", _("人民团体")


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    OFFICE = "office", _("创质办")
    LIAISON = "liaison", _("成员单位联络员")
    ASSESSOR = "assessor", _("评审专家")
    LEADER = "leader", _("领导")
