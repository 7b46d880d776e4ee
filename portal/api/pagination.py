"""Cursor pagination: stable pages however many rows are added meanwhile, and no page counting queries."""

from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class CursorPage(CursorPagination):
    """`?cursor=` from the previous page's `next`; `?page_size=` up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-pk")


class FixedOrderPage(CursorPage):
    """A list in its one order (`ordering`), whatever the query asks."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: object) -> tuple[str, ...]:
        return self.ordering
