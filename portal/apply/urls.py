"""Apply pages."""

urlpatterns = []
