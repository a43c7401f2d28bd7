"""What the reader search page accepts, checked before anything is searched.

Nothing a reader sends can fail the page. The query is cleaned, never refused (control
characters and backend syntax are dropped, a pasted essay is shortened); a bad sort or page
number falls back to the default with a notice; filters that can't be honoured (a date that
doesn't exist, a category of another site) are errors shown next to the form.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from .query import MAX_QUERY_LENGTH, clean_query
from .searching import SORTS, Filters

SORT_LABELS = {"relevance": _("Liên quan nhất"), "newest": _("Mới nhất")}
DEFAULT_SORT = "relevance"
# A page number longer than this is a typo or a probe, not a page anyone reached by clicking.
MAX_PAGE_DIGITS = 6
DATE_ERRORS = {
    "invalid": _("Ngày không hợp lệ. Nhập theo dạng ngày/tháng/năm, ví dụ 05/04/2024."),
}


class LenientField(forms.Field):
    """A text parameter taken as it comes; the form's clean_<name> decides what it means.

    Unlike CharField it doesn't refuse NUL characters: the query drops them instead.
    """

    def to_python(self, value):
        return "" if value is None else str(value)


def date_field(label) -> forms.DateField:
    """An optional dd/mm/yyyy (or ISO) date of the date-range filter."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=settings.DATE_INPUT_FORMATS,
        error_messages=DATE_ERRORS,
        widget=forms.TextInput(attrs={"placeholder": "ngày/tháng/năm", "size": 10}),
    )


class SearchForm(forms.Form):
    q = LenientField(
        label=_("Từ khóa"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"}
        ),
    )
    sort = LenientField(required=False, widget=forms.HiddenInput)
    chuyen_muc = forms.TypedChoiceField(
        label=_("Chuyên mục"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Cổng không có chuyên mục này.")},
    )
    tu_ngay = date_field(_("Từ ngày"))
    den_ngay = date_field(_("Đến ngày"))
    ngon_ngu = forms.ChoiceField(
        label=_("Ngôn ngữ"),
        required=False,
        error_messages={"invalid_choice": _("Cổng không có ngôn ngữ này.")},
    )
    page = LenientField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, categories: list[Page], locales: list[Locale], **kwargs):
        super().__init__(data, **kwargs)
        self.notices: list[str] = []
        self._categories = {category.pk: category for category in categories}
        self._locales = {locale.language_code: locale for locale in locales}
        top = min((category.depth for category in categories), default=0)
        self.fields["chuyen_muc"].choices = [("", gettext("Tất cả chuyên mục"))] + [
            (category.pk, "— " * (category.depth - top) + category.title) for category in categories
        ]
        if len(locales) > 1:
            self.fields["ngon_ngu"].choices = [("", gettext("Mọi ngôn ngữ"))] + [
                (locale.language_code, locale.get_display_name()) for locale in locales
            ]
        else:
            # One language: nothing to choose, and a stray ?ngon_ngu= is ignored.
            del self.fields["ngon_ngu"]

    def clean_q(self) -> str:
        raw = self.cleaned_data["q"]
        if len(raw) > MAX_QUERY_LENGTH:
            self.notices.append(
                gettext("Từ khóa quá dài: chỉ %(count)d ký tự đầu được dùng để tìm.")
                % {"count": MAX_QUERY_LENGTH}
            )
        return clean_query(raw)

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"]
        return sort if sort in SORTS else DEFAULT_SORT

    def clean_page(self) -> int:
        raw = self.cleaned_data["page"].strip()
        if not raw:
            return 1
        if raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS and int(raw) >= 1:
            return int(raw)
        self.notices.append(gettext("Số trang không hợp lệ; đang hiện trang đầu."))
        return 1

    def clean_chuyen_muc(self) -> Page | None:
        pk = self.cleaned_data["chuyen_muc"]
        return None if pk is None else self._categories[pk]

    def clean_ngon_ngu(self) -> Locale | None:
        code = self.cleaned_data["ngon_ngu"]
        return self._locales.get(code) if code else None

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if date_from and date_to and date_from > date_to:
            self.add_error("den_ngay", gettext("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    @property
    def has_query(self) -> bool:
        """Whether the reader submitted a query at all (possibly an empty one)."""
        return "q" in self.data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            category=data.get("chuyen_muc"),
            date_from=data.get("tu_ngay"),
            date_to=data.get("den_ngay"),
            locale=data.get("ngon_ngu"),
        )

    def url_query(self, **changes) -> str:
        """This search's URL parameters (query, sort, valid filters) with `changes`, encoded.

        Sort links and pages carry the filters; a value of None drops a parameter.
        """
        data = self.cleaned_data
        params = {
            "q": data.get("q", ""),
            "sort": data.get("sort", DEFAULT_SORT),
            "chuyen_muc": data["chuyen_muc"].pk if data.get("chuyen_muc") else None,
            "tu_ngay": _date_param(data.get("tu_ngay")),
            "den_ngay": _date_param(data.get("den_ngay")),
            "ngon_ngu": data["ngon_ngu"].language_code if data.get("ngon_ngu") else None,
        }
        params.update(changes)
        return urlencode({key: value for key, value in params.items() if value})


def _date_param(value) -> str | None:
    # Not strftime: it writes year 1 as "1", which "%Y" then refuses on the next page.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else None
