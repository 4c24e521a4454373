from django.urls import path

from .views import auto_score, evidence, findings, reports, rounds, workspace

app_name = "assessments"
urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("assessments/queues/to-score/", rounds.queue_to_score, name="queue_to_score"),
    path("assessments/queues/to-decide/", rounds.queue_to_decide, name="queue_to_decide"),
    path("rounds/new/<int:campaign_pk>/", rounds.round_create, name="round_create"),
    path("rounds/compare/", reports.compare, name="compare"),
    path("rounds/<int:pk>/", reports.round_summary, name="round_summary"),
    # The round's auto-scoring page keeps the address it had when it belonged to indicators.
    path(
        "indicators/rounds/<int:round_pk>/auto-score/",
        auto_score.auto_score,
        name="auto_score",
    ),
    path("rounds/<int:pk>/transition/", rounds.round_transition, name="round_transition"),
    path("rounds/<int:pk>/assessors/", rounds.round_assessors, name="round_assessors"),
    path("rounds/<int:pk>/score/", workspace.workspace, name="workspace"),
    path("rounds/<int:pk>/score/<int:criterion_pk>/", workspace.save, name="score_save"),
    path("rounds/<int:pk>/na/<int:criterion_pk>/", workspace.not_applicable, name="score_na"),
    path("rounds/<int:pk>/gaps/", reports.gap_list, name="gaps"),
    path(
        "rounds/<int:pk>/gaps/<int:criterion_pk>/finding/",
        findings.finding_create,
        name="finding_create",
    ),
    path("findings/", findings.finding_list, name="finding_list"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/<str:action>/", findings.finding_action, name="finding_action"),
    path("evidence/", evidence.evidence_list, name="evidence_list"),
    path("evidence/upload/", evidence.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", evidence.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/download/", evidence.evidence_download, name="evidence_download"),
]
