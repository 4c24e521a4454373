from django.urls import path

from .views import (
    board,
    campaigns,
    measures,
    meetings,
    monthly,
    notices,
    notifications,
    plan_import,
    reports,
    responsibilities,
    setup,
    tasks,
)

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path("<int:pk>/", campaigns.campaign_detail, name="detail"),
    # the office's administration (views/setup.py)
    path("new/", setup.campaign_create, name="create"),
    path("<int:pk>/edit/", setup.campaign_edit, name="edit"),
    path("<int:pk>/phases/", setup.phases_edit, name="phases_edit"),
    path("phases/<int:pk>/edit/", setup.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/remove/", setup.phase_remove, name="phase_remove"),
    path("<int:pk>/measures/edit/", setup.measures_edit, name="measures_edit"),
    path("<int:pk>/measures/new/", setup.measure_create, name="measure_create"),
    path("<int:pk>/measures/import/", plan_import.measures_import, name="measures_import"),
    path(
        "<int:pk>/measures/import/confirm/",
        plan_import.measures_import_confirm,
        name="measures_import_confirm",
    ),
    path("measures/<int:pk>/edit/", setup.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/remove/", setup.measure_remove, name="measure_remove"),
    path(
        "<int:pk>/responsibilities/",
        responsibilities.responsibilities,
        name="responsibilities",
    ),
    # measures (views/measures.py)
    path("<int:pk>/measures/", measures.measure_list, name="measure_list"),
    path("<int:pk>/measures/<int:number>/", measures.measure_detail, name="measure_detail"),
    # tasks (views/tasks.py)
    path("my/", tasks.my_tasks, name="my_tasks"),
    path("<int:pk>/tasks/", tasks.task_list, name="task_list"),
    path("<int:pk>/tasks/new/", tasks.task_create, name="task_create"),
    path("<int:pk>/tasks/generate/", tasks.task_generate, name="task_generate"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/<str:action>/", tasks.task_action, name="task_action"),
    # progress reports (views/reports.py)
    path("tasks/<int:pk>/report/<str:period>/", reports.report_edit, name="report_edit"),
    path("tasks/<int:pk>/report/<str:period>/upload/", reports.report_upload, name="report_upload"),
    path("reports/<int:pk>/review/", reports.report_review, name="report_review"),
    # the unit's monthly report (views/monthly.py)
    path("<int:pk>/monthly/", monthly.monthly_overview, name="monthly_overview"),
    path("<int:pk>/monthly/<int:unit_pk>/", monthly.monthly_index, name="monthly_index"),
    path("<int:pk>/monthly/<int:unit_pk>/<str:period>/", monthly.monthly_page, name="monthly"),
    path(
        "<int:pk>/monthly/<int:unit_pk>/<str:period>/review/",
        monthly.monthly_review,
        name="monthly_review",
    ),
    path(
        "<int:pk>/monthly/<int:unit_pk>/<str:period>/upload/<int:task_pk>/",
        monthly.monthly_upload,
        name="monthly_upload",
    ),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/<int:pk>/", notifications.open_notification, name="open_notification"),
    path(
        "notifications/preferences/",
        notifications.preferences,
        name="notification_preferences",
    ),
    path("<int:pk>/robots/", notifications.robots, name="robots"),
    # supervision: board and timeline, notices, meetings
    path("<int:pk>/board/", board.board, name="board"),
    path("<int:pk>/timeline/", board.timeline, name="timeline"),
    path("<int:pk>/notices/", notices.notice_list, name="notice_list"),
    path("<int:pk>/notices/new/", notices.notice_create, name="notice_create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/<str:action>/", notices.notice_action, name="notice_action"),
    path("<int:pk>/meetings/", meetings.meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/decisions/", meetings.meeting_decisions, name="meeting_decisions"),
]
