"""/api/v1/ (scaffolding: the routes are filled in by the API work)."""

urlpatterns = []
