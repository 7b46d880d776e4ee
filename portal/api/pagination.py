"""Cursor pagination: stable pages however many rows are added meanwhile, and no page counting queries."""

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    """`?cursor=` from the previous page's `next`; `?page_size=` up to 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-pk")
