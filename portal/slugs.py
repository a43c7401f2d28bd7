"""ASCII slugs for Vietnamese titles: "Đường tỉnh 258" → "duong-tinh-258"."""

import unicodedata
from collections import defaultdict
from itertools import chain

from anyascii import anyascii
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import SlugInput
from wagtail.models import Page

MAX_SLUG_LENGTH = 100


def ascii_slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    # Django's slugify drops "đ" (it has no Unicode decomposition); anyascii folds it to "d".
    slug = slugify(anyascii(text))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def _latin_folding_formatters() -> list[tuple[str, str]]:
    """(pattern, replacement) pairs that fold accented Latin letters to their base letter.

    Wagtail's admin fills the slug from the title in the browser, and its transliteration has
    no Vietnamese map: "trường mầm non" became "trng-mm-non". These run first, in the browser.
    """
    variants = defaultdict(list)
    for code in chain(range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        letter = chr(code)
        base = unicodedata.normalize("NFD", letter)[0]
        if base != letter and base.isascii() and base.isalpha():
            variants[base].append(letter)
    formatters = [(f"[{''.join(letters)}]", base) for base, letters in sorted(variants.items())]
    # "đ" has no decomposition; text typed or pasted decomposed keeps its marks apart.
    return formatters + [("đ", "d"), ("Đ", "D"), ("[\u0300-\u036f]", "")]


LATIN_FOLDING_FORMATTERS = _latin_folding_formatters()


def route_slugs(parent: Page) -> set[str]:
    """The first segments of the parent's own routes (a category's "rss/" and "atom/", a home
    page's "chu-de/"): a child with such a slug would never be reached, its address answered
    by the route."""
    patterns = getattr(parent, "get_subpage_urls", list)()
    segments = (str(pattern.pattern).lstrip("^").split("/", 1)[0] for pattern in patterns)
    return {segment for segment in segments if segment and segment.replace("-", "").isalnum()}


class AsciiSlugPageForm(WagtailAdminPageForm):
    """The slug follows the title in ASCII as the editor types, and may be left empty: the
    page then derives it from the title on save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if slug := self.fields.get("slug"):
            slug.required = False
            slug.help_text = "Để trống để tạo tự động từ tiêu đề (chữ không dấu)."
            slug.widget = SlugInput(
                locale=self.instance.locale if self.instance.locale_id else None,
                formatters=LATIN_FOLDING_FORMATTERS,
            )

    def clean_slug(self):
        # WAGTAIL_ALLOW_UNICODE_SLUGS = False only steers the browser's slug widget: the page's
        # SlugField still accepts "tin-mới" from a form posted without that script. Fold it as
        # the widget would, before Wagtail checks that it is free among the siblings.
        slug = self.cleaned_data.get("slug")
        if slug and not slug.isascii():
            slug = ascii_slugify(slug)
        return slug

    def clean(self):
        # A title with no letter or digit ("!!! ???") gives no slug to derive.
        cleaned_data = super().clean()
        title = cleaned_data.get("title")
        if (
            title
            and "slug" in self.fields
            and not cleaned_data.get("slug")
            and not ascii_slugify(title)
        ):
            self.add_error(
                "slug",
                "Tiêu đề không có chữ hay số nào để tạo đường dẫn tự động: "
                "hãy nhập đường dẫn (slug).",
            )
        parent = getattr(self, "parent_page", None)
        slug = cleaned_data.get("slug")
        if slug and parent is not None and slug in route_slugs(parent.specific_deferred):
            self.add_error(
                "slug",
                f"Đường dẫn “{slug}” đã được sử dụng cho một chức năng của trang cha "
                "(như nguồn tin RSS): hãy chọn đường dẫn khác.",
            )
        return cleaned_data


class AsciiSlugPage(Page):
    """A page whose automatic slug is the ASCII folding of its Vietnamese title."""

    base_form_class = AsciiSlugPageForm

    class Meta:
        abstract = True

    @staticmethod
    def _slug_is_available(slug, parent_page, page=None):
        # Both for the slug derived from the title ("RSS" → "rss-2") and for a typed one.
        if parent_page is not None and slug in route_slugs(parent_page.specific_deferred):
            return False
        return Page._slug_is_available(slug, parent_page, page)

    def _set_core_field_defaults(self):
        # Wagtail derives a missing slug here both before validating (full_clean) and before
        # saving a draft (minimal_clean: Page.save of a page that is not live, which is how
        # the admin saves a draft or a page submitted for approval). Fold to ASCII first, or
        # Wagtail's own slugify drops "đ": "đường" would become "uong".
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        base_slug = ascii_slugify(self.title or "")
        if not self.slug and base_slug and parent_is_known:
            self.slug = self._get_autogenerated_slug(base_slug)
        super()._set_core_field_defaults()
