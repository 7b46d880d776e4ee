"""Cursor pagination: stable pages however many rows are added meanwhile, and no page counting queries."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


class CursorPage(CursorPagination):
    """`?cursor=` from the previous page's `next`; `?page_size=` up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-pk")

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: object = None) -> list | None:
        self.model = queryset.model  # for decode_cursor, which DRF calls without the queryset
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Cursor | None:
        """DRF's decoding, and a position the ordering's first field can hold: a tampered one is 404 as DRF's own
        undecodable cursor is, instead of a failed query."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            field.to_python(cursor.position)
        except (ValidationError, ValueError, TypeError):
            raise NotFound(self.invalid_cursor_message) from None
        if "\x00" in cursor.position:  # PostgreSQL refuses it in any text parameter
            raise NotFound(self.invalid_cursor_message)
        return cursor


class FixedOrderPage(CursorPage):
    """A list in its one order (`ordering`), whatever the query asks."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: object) -> tuple[str, ...]:
        return self.ordering
