from django.urls import path

from . import views, views_supervision, views_tasks

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    # tasks and progress reports (views_tasks)
    path("my/", views_tasks.my_tasks, name="my_tasks"),
    path("<int:pk>/tasks/", views_tasks.task_list, name="task_list"),
    path("<int:pk>/tasks/new/", views_tasks.task_create, name="task_create"),
    path("<int:pk>/tasks/generate/", views_tasks.task_generate, name="task_generate"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/<str:action>/", views_tasks.task_action, name="task_action"),
    path("tasks/<int:pk>/report/<str:period>/", views_tasks.report_edit, name="report_edit"),
    path("reports/<int:pk>/review/", views_tasks.report_review, name="report_review"),
    path("notifications/", views_tasks.notifications, name="notifications"),
    # supervision, notices, meetings, timeline (views_supervision)
    path("<int:pk>/board/", views_supervision.board, name="board"),
    path("<int:pk>/timeline/", views_supervision.timeline, name="timeline"),
    path("<int:pk>/notices/", views_supervision.notice_list, name="notice_list"),
    path("<int:pk>/notices/new/", views_supervision.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views_supervision.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/<str:action>/", views_supervision.notice_action, name="notice_action"),
    path("<int:pk>/meetings/", views_supervision.meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", views_supervision.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views_supervision.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:pk>/decisions/",
        views_supervision.meeting_decisions,
        name="meeting_decisions",
    ),
]
