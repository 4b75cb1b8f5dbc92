"""Questions between cities and the expertise directory (namespace "knowledge")."""

from django.urls import path

from stedennet.knowledge import views_questions as views

urlpatterns = [
    path("vragen/", views.question_list, name="questions"),
    path("vragen/nieuw/", views.question_create, name="question_create"),
    path("vragen/vergelijkbaar/", views.question_similar, name="question_similar"),
    path("vragen/<int:pk>/", views.question_detail, name="question"),
    path("vragen/<int:pk>/antwoorden/", views.answer_create, name="answer_create"),
    path("vragen/<int:pk>/beste-antwoord/", views.best_answer, name="best_answer"),
    path("vragen/<int:pk>/volgen/", views.question_follow, name="question_follow"),
    path("vragen/<int:pk>/niet-meer-volgen/", views.question_unfollow, name="question_unfollow"),
    path("deskundigen/", views.experts, name="experts"),
]
