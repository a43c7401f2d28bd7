"""English demo content: the demo site's home page, its first category and two of its
bulletins in English, so that the language switcher shows on `make run`.

The English texts are wagtail-localize translations of the Vietnamese segments (as a
translator would enter them), so "Sync translated pages" keeps working on the demo.
"""

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object

from .languages import add_portal_language
from .roles import ensure_translator_role

DEMO_LANGUAGE = "en"

# Vietnamese segment → its English translation, written for this project.
ENGLISH_TEXTS = {
    "Trang chủ": "Home",
    "Thông tin chỉ đạo, điều hành và hoạt động của tỉnh Hòa Sơn.": (
        "Directives, administration and activities of Hòa Sơn province."
    ),
    "Tin tức - Sự kiện": "News and events",
    "Thông tin kịp thời về các hoạt động, sự kiện nổi bật của tỉnh Hòa Sơn và các địa phương "
    "trong tỉnh.": (
        "Timely news about the main activities and events of Hòa Sơn province and its localities."
    ),
    "Lãnh đạo tỉnh thăm, chúc Tết đồng bào xã Bản Mơ": (
        "Provincial leaders visit Bản Mơ commune with New Year wishes"
    ),
    "Ngày 17/01/2021, đoàn công tác của tỉnh do đồng chí Phó Chủ tịch UBND tỉnh làm trưởng đoàn "
    "đã đến thăm, chúc Tết và tặng quà các hộ nghèo, gia đình chính sách tại xã Bản Mơ, huyện "
    "Lũng Đắc.": (
        "On 17 January 2021, a provincial delegation led by the Vice Chairman of the Provincial "
        "People's Committee visited poor households and families of war veterans in Bản Mơ "
        "commune, Lũng Đắc district, bringing New Year wishes and gifts."
    ),
    "Thông xe kỹ thuật cầu Khê Lâm, kết nối tuyến đường tỉnh ĐT.318 với trung tâm huyện": (
        "Khê Lâm bridge opens to traffic, linking provincial road ĐT.318 with the district centre"
    ),
    "Sáng 06/9/2021, Sở Giao thông vận tải phối hợp với UBND huyện Khê Lâm tổ chức thông xe kỹ "
    "thuật cầu Khê Lâm, hạng mục quan trọng thuộc dự án cải tạo, nâng cấp đường tỉnh ĐT.318.": (
        "On the morning of 6 September 2021, the Department of Transport and the Khê Lâm "
        "District People's Committee opened Khê Lâm bridge to traffic, a key part of the project "
        "to upgrade provincial road ĐT.318."
    ),
}
DEMO_BULLETINS = 2


@transaction.atomic
def ensure_demo_translations(home: Page) -> int:
    """English versions of the demo pages that have none yet; returns how many were made.
    Pages already in English are left as they are (a translator may have changed them)."""
    locale, _ = Locale.objects.get_or_create(language_code=DEMO_LANGUAGE)
    pages = [home.specific]
    category = home.get_children().live().order_by("path").first()
    if category is not None:
        bulletins = category.get_children().live().order_by("path")
        pages += [
            category.specific,
            *(b.specific for b in bulletins[:DEMO_BULLETINS]),
        ]
    missing = [page for page in pages if not page.has_translation(locale)]
    add_portal_language(DEMO_LANGUAGE)  # translates the home page when it is missing
    for page in missing:
        if not page.has_translation(locale):
            translate_object(page, [locale])
        _fill_in(page, locale)
    ensure_translator_role()
    return len(missing)


def _fill_in(page: Page, locale) -> None:
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale
    )
    segments = StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    )
    for segment in segments:
        english = ENGLISH_TEXTS.get(segment.string.data)
        if english:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": english, "translation_type": "manual"},
            )
    translation.save_target(publish=True)
