from django.contrib import admin

from services.feedback.models import SatisfactionAnswer
from services.workflow.admin import ReadOnlyAdminMixin


@admin.register(SatisfactionAnswer)
class SatisfactionAnswerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["request", "service", "rating", "end_state", "channel", "answered_at"]
    list_filter = ["rating", "end_state", "service"]
    search_fields = ["request__reference"]
    list_select_related = ["request", "service"]
