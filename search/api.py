"""Wagtail's API v2 (/api/v2/) with `?search=` going through the Vietnamese search.

Stock PagesAPIViewSet hands `?search=` to the backend as typed: unaccented Vietnamese finds
nothing and backend syntax can fail. Here the same search as the reader page runs
(search.searching.vietnamese_search_or_typing), an engine that can't answer is a 503 and input with
nothing to search is a 400, both with a Vietnamese message. A filter value its field can't hold
(`?date=abc`), an id that is no number (`find/?id=abc`) and an offset no database could take
are 400s too. Listings and searches are ordered by id after what `?order=` asks, so that offset
pages neither repeat nor skip bulletins that share a date.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from rest_framework import status
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Locale
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from .api_messages import in_readers_language
from .searching import (
    MAX_RESULTS,
    UNAVAILABLE_MESSAGE,
    is_engine_unavailable,
    is_searchable,
    vietnamese_search_or_typing,
)


class VietnameseSearchFilter(BaseFilterBackend):
    """`?search=`: diacritics optional, "quoted" phrases, document numbers, as on /tim-kiem/.

    Relevance order unless `?order=` is given; the first MAX_RESULTS results, as on the
    reader page (`meta.total_count` counts up to it). A query that finds nothing as typed is
    retried as Telex/VNI keys ("tre3 em" → "trẻ em"), as on /tim-kiem/; the view then says so
    in `meta.search_retried_as`. It stays the last filter: search results can't be filtered
    further.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError(gettext("Tìm kiếm qua API đang tắt."))
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError(gettext("Không thể vừa lọc theo thẻ vừa tìm kiếm."))
        raw_query = request.GET["search"]
        if not is_searchable(raw_query):
            raise BadRequestError(
                gettext("Từ khóa tìm kiếm không có chữ hoặc số nào; hãy nhập từ cần tìm.")
            )
        order_by = with_ties_broken(queryset).query.order_by if "order" in request.GET else ()
        if "locale" not in request.GET:
            # One language at a time, as on the search page: `?locale=en` for English.
            queryset = queryset.filter(locale=Locale.get_active())
        try:
            results, view.search_retried_as = vietnamese_search_or_typing(
                queryset, raw_query, order_by=order_by, max_results=MAX_RESULTS
            )
            return results
        except FilterFieldError as error:
            raise BadRequestError(
                gettext("Không thể lọc theo “%(field)s” khi tìm kiếm.")
                % {"field": error.field_name}
            ) from error
        except OrderByFieldError as error:
            # `?order=random` reaches the backend as Django's "?": name it as the reader wrote it.
            field = "random" if error.field_name == "?" else error.field_name
            raise BadRequestError(
                gettext("Không thể sắp xếp theo “%(field)s” khi tìm kiếm.") % {"field": field}
            ) from error


class ValidatedFieldsFilter(FieldsFilter):
    """`?field=value`: stock Wagtail answers a bad number with a 400, but lets a bad date
    (`?date=abc`) reach the database layer, whose ValidationError is a 500."""

    def filter_queryset(self, request, queryset, view):
        # Django says what is wrong with a date in English: checked first, said in Vietnamese.
        filtered = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            field = _model_field(queryset.model, name) if name in filtered else None
            if isinstance(field, models.DateField):
                try:
                    field.to_python(value)
                except ValidationError as error:
                    explained = gettext(
                        "“%(value)s” không phải là ngày (%(field)s); hãy viết năm-tháng-ngày, "
                        "ví dụ 2024-05-01."
                    ) % {"value": value, "field": name}
                    raise BadRequestError(
                        gettext("Giá trị lọc không hợp lệ: %(errors)s") % {"errors": explained}
                    ) from error
        try:
            return super().filter_queryset(request, queryset, view)
        except ValidationError as error:
            raise BadRequestError(
                gettext("Giá trị lọc không hợp lệ: %(errors)s")
                % {"errors": " ".join(error.messages)}
            ) from error


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


# No listing comes near it; past it, the offset overflows the database's integer (a 500).
LARGEST_OFFSET = 2**31 - 1


class BoundedOffsetPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # not a number: Wagtail's own check answers it
        if offset > LARGEST_OFFSET:
            raise BadRequestError(
                gettext("offset quá lớn: tối đa %(largest)d.") % {"largest": LARGEST_OFFSET}
            )
        if isinstance(queryset, QuerySet):
            queryset = with_ties_broken(queryset)
        listed = super().paginate_queryset(queryset, request, view)
        if isinstance(listed, QuerySet) and offset >= SKIP_BY_ID_FROM:
            return rows_by_id(queryset, listed)
        return listed


def with_ties_broken(queryset):
    """`queryset` ordered as asked, then by id. Rows that tie (bulletins of one date, under
    `?order=-date`) may come back in another order from one query to the next, and offset
    pages would then repeat some of them and skip others."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    if "?" in ordering or any(str(field).lstrip("-") in ("id", "pk") for field in ordering):
        return queryset  # random (no offset allowed), or ordered by id already
    return queryset.order_by(*ordering, "id")  # "id": a field every search index can sort


# From this offset on, a page's rows are read by id after the database skipped ids only. At
# 200 both ways cost about the same on 10,000 bulletins; deeper, skipping rows costs more.
SKIP_BY_ID_FROM = 200


def rows_by_id(queryset, listed):
    """The rows of `listed` (a slice of `queryset`), read by id after the database skipped
    over ids only. Skipping whole rows of a page type reads each skipped page's body: at offset
    9,000 of 10,000 bulletins on SQLite, about 0.5 s a request against 0.09 s this way
    (docs/benchmarks.md)."""
    ids = list(listed.values_list("pk", flat=True))
    rows = queryset.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


class VietnamesePagesAPIViewSet(PagesAPIViewSet):
    pagination_class = BoundedOffsetPagination
    filter_backends = [
        {SearchFilter: VietnameseSearchFilter, FieldsFilter: ValidatedFieldsFilter}.get(
            backend, backend
        )
        for backend in PagesAPIViewSet.filter_backends
    ]

    @classmethod
    def get_listing_default_fields(cls, model):
        # Listings of a page type show what its model asks for (bulletins: date, lead, url),
        # so `?type=bulletins.BulletinPage&search=…` answers without a `fields=` list.
        fields = super().get_listing_default_fields(model)
        extra = getattr(model, "api_listing_default_fields", ())
        return fields + [name for name in extra if name not in fields]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL can't compare text with a NUL character: `?locale=%00` or `?site=%00`
        # reached the database and failed there (a 500). `?search=` drops them itself.
        if any(
            "\x00" in value
            for name, values in request.GET.lists()
            if name != "search"
            for value in values
        ):
            raise BadRequestError(gettext("Tham số không được chứa ký tự NUL."))

    def get_queryset(self):
        # Each item's `meta.locale`: one query per item without it.
        return super().get_queryset().select_related("locale")

    def find_object(self, queryset, request):
        # Stock Wagtail looks `?id=` up as given: `find/?id=abc` was a 500.
        try:
            return super().find_object(queryset, request)
        except (ValueError, ValidationError) as error:
            raise BadRequestError(gettext("id phải là một số nguyên.")) from error

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # What was searched instead of `?search=` (a Telex/VNI conversion), so that a client
        # can tell its reader, as the search page does.
        if retried_as := getattr(self, "search_retried_as", None):
            response.data["meta"]["search_retried_as"] = retried_as
        return response

    def handle_exception(self, exc):
        if is_engine_unavailable(exc):
            return Response(
                {"message": str(UNAVAILABLE_MESSAGE)}, status=status.HTTP_503_SERVICE_UNAVAILABLE
            )
        response = super().handle_exception(exc)
        if isinstance(getattr(response, "data", None), dict) and "message" in response.data:
            message = str(response.data["message"])
            if not message and response.status_code == status.HTTP_404_NOT_FOUND:
                # A bare Http404 (a detail with `?search=`, an unknown `?format=`): no message.
                message = "not found"
            response.data["message"] = in_readers_language(message)
        return response


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", VietnamesePagesAPIViewSet)
