"""The office's people pages: the accounts of its own region, their roles, deactivation and the
one-time link to set a password. Administrators see everyone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.errors import ValidationFailed
from qualitycity.refusals import refusals, render, shown_at

from .. import services
from ..access import access_user, is_admin, manages_user, region_users, scope_of
from ..choices import Role
from ..forms import MemberForm, MembershipForm
from ..models import Membership, Region

PAGE_SIZE = 50


def _office_region(request: HttpRequest) -> Region:
    """The region whose people the office keeps (its first managed region; ?region= picks
    another it manages). Others get the 404."""
    scope = scope_of(request.user)
    managed = Region.objects.all() if scope.admin else Region.objects.filter(pk__in=scope.managed)
    managed = managed.order_by("parent_id", "position", "code")
    raw = request.GET.get("region") or request.POST.get("region") or ""
    if raw and not raw.isdigit():
        raise Http404  # the same answer as a region the office does not manage
    region = managed.filter(pk=int(raw)).first() if raw else managed.first()
    if region is None:
        raise Http404
    return region


def _roles(user) -> list[tuple[str, str]]:
    allowed = Role.values if is_admin(user) else services.OFFICE_ROLES
    return [(value, label) for value, label in Role.choices if value in allowed]


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    region = _office_region(request)
    q = request.GET.get("q", "").strip()[:100]
    users = (
        region_users(request.user)
        .filter(memberships__region=region)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("region", "unit").order_by("role"),
            )
        )
        .order_by("-is_active", "username")
        .distinct()
    )
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/user_list.html", {"page": page, "region": region, "q": q})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    region = _office_region(request)
    form = MemberForm(request.POST or None, region=region, roles=_roles(request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
                user = services.create_member(
                    by=request.user,
                    region=region,
                    username=data["username"],
                    full_name=data["full_name"],
                    role=data["role"],
                    unit=data["unit"],
                    email=data["email"],
                    phone=data["phone"],
                )
            for message in outcome.messages:
                form.add_error(None, message)
            if not outcome.refused:
                messages.success(request, _("账号“%(u)s”已创建。") % {"u": user.username})
                return redirect("orgs:user_detail", user.pk)
        status = 400
    return render(request, "orgs/user_form.html", {"form": form, "region": region}, status=status)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_user(request.user, pk))


def _detail(request: HttpRequest, person, status: int = 200) -> HttpResponse:
    shown_at(request, reverse("orgs:user_detail", args=[person.pk]))
    region = _office_region(request)
    form = MembershipForm(region=region, roles=_roles(request.user))
    return render(
        request,
        "orgs/user_detail.html",
        {
            "person": person,
            "region": region,
            "form": form,
            "manages": manages_user(request.user, person),
            "memberships": person.memberships.select_related("region", "unit").order_by("role"),
        },
        status=status,
    )


@login_required
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    person = access_user(request.user, pk)
    if request.method != "POST":
        return redirect("orgs:user_detail", person.pk)
    region = _office_region(request)
    with refusals(request) as outcome:
        if action == "deactivate":
            services.set_user_active(person, by=request.user, active=False)
            done = _("账号已停用,不能再登录。")
        elif action == "activate":
            services.set_user_active(person, by=request.user, active=True)
            done = _("账号已启用。")
        elif action == "password-link":
            services.send_password_link(
                person, by=request.user, base_url=request.build_absolute_uri("/")
            )
            done = _("设置密码的链接已发送到 %(email)s。") % {"email": person.email}
        elif action == "add-role":
            form = MembershipForm(request.POST, region=region, roles=_roles(request.user))
            if not form.is_valid():
                raise ValidationFailed([e for errors in form.errors.values() for e in errors])
            services.add_membership(
                person,
                by=request.user,
                role=form.cleaned_data["role"],
                region=region,
                unit=form.cleaned_data["unit"],
            )
            done = _("角色已添加。")
        elif action == "remove-role":
            raw = request.POST.get("membership", "")
            membership = person.memberships.filter(pk=int(raw)).first() if raw.isdigit() else None
            if membership is None:
                raise ValidationFailed(_("所选角色不存在。"))
            services.remove_membership(membership, by=request.user)
            done = _("角色已移除。")
        else:
            raise Http404
    if outcome.refused:  # the reasons are on the page, nothing changed
        person = access_user(request.user, pk)
        return _detail(request, person, status=400)
    messages.success(request, done)
    return redirect("orgs:user_detail", person.pk)
