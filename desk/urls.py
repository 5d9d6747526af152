from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("preview/<int:pk>/", views.StoryPreviewView.as_view(), name="preview"),
]
