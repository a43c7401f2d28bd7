"""Keeping translations in step with the Vietnamese original, and PO files: download, fill,
upload; bad or foreign PO files are refused with a message and change nothing."""

import datetime

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from bulletins.body import bulletin_body, paragraph_html
from bulletins.models import BulletinPage
from tests.factories import BulletinPageFactory
from tests.translating import translated

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(bulletin):
    return translated(bulletin)


def translation_of(page) -> Translation:
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale__language_code="en"
    )


def download_po(client, translation: Translation) -> polib.POFile:
    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("-en.po")
    return polib.pofile(response.content.decode())


def upload_po(client, translation: Translation, content: bytes, page):
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": SimpleUploadedFile("ban-dich.po", content), "next": edit_url},
    )
    assert response.status_code == 302
    assert response["Location"] == edit_url
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_po_file_downloaded_filled_and_uploaded_translates_the_page(
    admin_client, bulletin, english, django_capture_on_commit_callbacks
):
    translation = translation_of(bulletin)
    po = download_po(admin_client, translation)
    by_context = {entry.msgctxt: entry for entry in po}
    assert by_context["title"].msgid == bulletin.title
    by_context["title"].msgstr = "Provincial news"
    for entry in po:
        if entry.msgid == bulletin.author:
            entry.msgstr = bulletin.author  # a name stays as it is
    notices = upload_po(admin_client, translation, str(po).encode(), english)
    assert any("Successfully imported" in notice or "thành công" in notice for notice in notices)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    english.refresh_from_db()
    assert english.title == "Provincial news"
    assert english.author == bulletin.author


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'msgid "a\nmsgstr', "sai cú pháp"),
        ('msgid "Tiêu đề"\nmsgstr "Title"\n'.encode("utf-16"), "UTF-8"),
        (b'msgid "x"\nmsgstr "y"\n', "thiếu mã bản dịch"),
    ],
    ids=["malformed", "not-utf8", "no-translation-id"],
)
def test_bad_po_files_are_refused_and_change_nothing(
    admin_client, bulletin, english, content, reason
):
    translation = translation_of(bulletin)
    before = StringTranslation.objects.count()
    notices = upload_po(admin_client, translation, content, english)
    assert any(reason in notice for notice in notices), notices
    assert StringTranslation.objects.count() == before


def test_a_po_file_of_another_translation_or_page_is_refused(admin_client, bulletin, english):
    other = BulletinPageFactory(parent=bulletin.get_parent())
    translated(other)
    other_po = download_po(admin_client, translation_of(other))
    for entry in other_po:
        entry.msgstr = "Translated elsewhere"
    translation = translation_of(bulletin)
    notices = upload_po(admin_client, translation, str(other_po).encode(), english)
    assert any("bản dịch khác" in notice for notice in notices), notices
    # The right translation id, but strings this page does not have.
    other_po.metadata["X-WagtailLocalize-TranslationID"] = str(translation.uuid)
    notices = upload_po(admin_client, translation, str(other_po).encode(), english)
    assert any("không có trong bản gốc" in notice for notice in notices), notices
    assert not StringTranslation.objects.filter(data="Translated elsewhere").exists()


def test_changes_to_the_original_are_carried_over_by_update(
    admin_client, bulletin, english, django_capture_on_commit_callbacks
):
    translation = translation_of(bulletin)
    po = download_po(admin_client, translation)
    for entry in po:
        if entry.msgctxt == "title":
            entry.msgstr = "Provincial news"
    upload_po(admin_client, translation, str(po).encode(), english)
    source = TranslationSource.objects.get(object_id=bulletin.translation_key)

    # The original changes: a new paragraph.
    body = bulletin.body.raw_data
    body[1]["value"]["content"].append(
        {"type": "paragraph", "value": paragraph_html("Đoạn mới bổ sung."), "id": "moi-1"}
    )
    bulletin.body = body
    bulletin.save_revision().publish()
    bulletin.refresh_from_db()
    assert bulletin.latest_revision_created_at > source.last_updated_at  # out of date

    # "Sync translated pages" (wagtail-localize's update view), publishing the translations.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.title == "Provincial news"  # the translation made before is kept
    assert "Đoạn mới bổ sung." in str(english.body)  # the new text, to be translated


def test_a_translation_of_a_bulletin_without_toolbar_date_keeps_the_originals_date(category):
    """An empty toolbar date means "first published": the original's, not the translation's."""
    original = BulletinPageFactory(
        parent=category,
        body=bulletin_body(date=None, lead="Sapo", paragraphs=["Đoạn một."], author="Minh"),
    )
    BulletinPage.objects.filter(pk=original.pk).update(
        first_published_at=timezone.make_aware(datetime.datetime(2021, 3, 5, 9, 0))
    )
    original.refresh_from_db()
    original.save_revision().publish()
    original.refresh_from_db()
    assert original.date == datetime.date(2021, 3, 5)
    english = translated(original)
    english.refresh_from_db()
    assert english.date == original.date


def test_a_translated_slug_folds_d_with_stroke(bulletin, django_capture_on_commit_callbacks):
    """wagtail-localize slugifies a translated slug with Django's slugify, which drops "đ"."""
    english = translated(bulletin)
    translation = Translation.objects.get(
        source__object_id=bulletin.translation_key, target_locale=english.locale
    )
    segment = StringSegment.objects.get(source=translation.source, context__path="slug")
    StringTranslation.objects.update_or_create(
        translation_of=segment.string,
        locale=english.locale,
        context=segment.context,
        defaults={"data": "Đắk Lắk road ĐT.318 opened", "translation_type": "manual"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    english.refresh_from_db()
    assert english.slug == "dak-lak-road-dt318-opened"
