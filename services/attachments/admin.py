from django.contrib import admin

from services.attachments.models import Attachment
from services.workflow.admin import ReadOnlyAdminMixin


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "request", "purpose", "field", "content_type", "size", "uploaded_at"]
    list_filter = ["purpose", "content_type"]
    search_fields = ["request__reference", "sha256"]
    list_select_related = ["request"]
    exclude = ["file"]  # files are served only through the permission check, never from the admin
