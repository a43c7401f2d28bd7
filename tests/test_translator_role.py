"""The translator role (Biên dịch viên): translates and publishes in English, cannot edit or
publish the Vietnamese original. Real users through Wagtail's and wagtail-localize's admin
views."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from tests.translating import locale, translated
from translations.roles import TRANSLATORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_bulletin(bulletin):
    return translated(bulletin)


@pytest.fixture
def translator(client, django_user_model, english_bulletin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("setup_translator_role", stdout=io.StringIO())
    user = django_user_model.objects.create_user("biendich", password="matkhau-dich")
    user.groups.add(Group.objects.get(name=TRANSLATORS))
    client.force_login(user)
    return user


def test_setup_is_idempotent_and_grants_on_the_english_tree_only(translator, home):
    english_home = home.get_translation(locale("en"))
    granted = GroupPagePermission.objects.filter(group__name=TRANSLATORS)
    assert {permission.page_id for permission in granted} == {english_home.pk}
    count = granted.count()
    call_command("setup_translator_role", stdout=io.StringIO())
    assert GroupPagePermission.objects.filter(group__name=TRANSLATORS).count() == count
    assert translator.has_perm("wagtail_localize.submit_translation")


def test_translator_cannot_edit_or_publish_the_vietnamese_original(client, translator, bulletin):
    edit_url = reverse("wagtailadmin_pages:edit", args=[bulletin.pk])
    assert client.get(edit_url).status_code in (302, 403)
    response = client.post(edit_url, {"title": "Đổi tiêu đề", "action-publish": "publish"})
    assert response.status_code in (302, 403)
    bulletin.refresh_from_db()
    assert bulletin.title != "Đổi tiêu đề"
    assert not bulletin.permissions_for_user(translator).can_publish()


def test_translator_translates_and_publishes_in_english(
    client, translator, english_bulletin, django_capture_on_commit_callbacks
):
    edit_url = reverse("wagtailadmin_pages:edit", args=[english_bulletin.pk])
    response = client.get(edit_url)
    assert response.status_code == 200  # wagtail-localize's translation editor
    translation = Translation.objects.get(
        source__object_id=english_bulletin.translation_key, target_locale__language_code="en"
    )
    title_segment = StringSegment.objects.get(source=translation.source, context__path="title")
    response = client.put(
        reverse(
            "wagtail_localize:edit_string_translation", args=[translation.pk, title_segment.pk]
        ),
        data="value=Provincial+news+in+English",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201
    assert StringTranslation.objects.filter(data="Provincial news in English").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, {"action": "publish"})
    assert response.status_code == 302
    english_bulletin.refresh_from_db()
    assert english_bulletin.title == "Provincial news in English"
    assert english_bulletin.live
    assert client.get(english_bulletin.url).status_code == 200
