from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.access import access_token, own_tokens
from qualitycity.orgs.services import change_password, create_token, revoke_token
from qualitycity.refusals import mark_refused, render

from .home import home  # noqa: F401  (web/home.py: the home page by role)
from .queues import BY_KEY

QUEUE_PAGE_SIZE = 50


@login_required
def queue_page(request: HttpRequest, key: str) -> HttpResponse:
    """One work queue (待办): what the user can act on, a page at a time. A queue that is not the
    user's (by role) is a 404, like an unknown one."""
    queue = BY_KEY.get(key)
    if queue is None or not queue.concerns(request.user):
        raise Http404
    if queue.page:
        return redirect(queue.url)
    page = Paginator(queue.rows(request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    return render(
        request,
        "web/queue.html",
        {
            "queue": queue,
            "page_obj": page,
            "rows": queue.mark(page.object_list, today),
            "today": today,
        },
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Every user changes their own password (Django's validators, audited)."""
    problems: list[str] = []
    if request.method == "POST":
        new1 = request.POST.get("new_password1", "")
        new2 = request.POST.get("new_password2", "")
        if not new1:
            problems.append(_("请填写新密码。"))
        elif new1 != new2:
            problems.append(_("两次输入的新密码不一致。"))
        else:
            try:
                change_password(
                    request.user,
                    old_password=request.POST.get("old_password", ""),
                    new_password=new1,
                )
            except ValidationFailed as exc:
                problems.extend(exc.messages)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, _("密码已修改。"))
                return redirect("home")
    return render(
        request,
        "registration/password_change.html",
        {"problems": problems},
        status=400 if problems else 200,
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """A person's own API tokens: made here (the secret is shown once, on this answer only),
    listed and revoked. Nobody else, not even an administrator, sees or revokes them."""
    problems: list[str] = []
    created = None
    name, days = "", "90"
    if request.method == "POST":
        revoke = request.POST.get("revoke", "")
        if revoke:
            if not revoke.isdigit() or len(revoke) > 18:
                raise Http404
            try:
                token = revoke_token(access_token(request.user, int(revoke)), by=request.user)
            except ValidationFailed as exc:
                problems.extend(exc.messages)
            else:
                messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
                return redirect("api_tokens")
        else:
            name, days = request.POST.get("name", ""), request.POST.get("days", "").strip()
            if not days.isdigit() or len(days) > 4:
                problems.append(_("有效天数必须是整数。"))
            else:
                try:
                    created = create_token(request.user, name=name, days=int(days))
                except ValidationFailed as exc:
                    problems.extend(exc.messages)
    return render(
        request,
        "web/api_tokens.html",
        {
            "tokens": list(own_tokens(request.user)),
            "created": created,
            "problems": problems,
            "name": "" if created else name,
            "days": days,
            "now": clock.now(),
        },
        status=400 if problems else 200,
    )


class LoginView(auth_views.LoginView):
    """Django's sign-in page; a refused sign-in is a 400 like any refused form (refusals.py)."""

    def form_invalid(self, form):
        mark_refused(self.request)
        return super().form_invalid(form)
