"""Public verification of result documents: /verify/ and /verify/<code>/."""

urlpatterns = []
