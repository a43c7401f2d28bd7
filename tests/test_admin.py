"""Editors work in Wagtail's admin, in Vietnamese."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from bulletins.models import BulletinIndexPage, BulletinPage
from home.models import HomePage
from tests.factories import BulletinIndexPageFactory, HomePageFactory


def bulletin_form_data(title: str, lead: str, paragraph: str, author: str, date: str = "") -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "",
            "cited_documents": inline_formset([]),
            "body": streamfield(
                [
                    (
                        "toolbar",
                        {
                            "date": date,
                            "show_font_size": "on",
                            "show_print": "on",
                            "show_share": "on",
                        },
                    ),
                    (
                        "view_data",
                        {
                            "lead": lead,
                            "content": streamfield([("paragraph", rich_text(paragraph))]),
                            "author": author,
                        },
                    ),
                ]
            ),
        }
    )


class AdminTestCase(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePageFactory(parent=Page.get_first_root_node())
        Site.objects.filter(is_default_site=True).update(root_page=self.home)
        self.category = BulletinIndexPageFactory(parent=self.home, slug="tin-tuc")
        self.user = get_user_model().objects.create_superuser("bientap", "b@example.org", "x")
        self.client.force_login(self.user)


class TestAdminInVietnamese(AdminTestCase):
    def test_dashboard_is_in_vietnamese(self):
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, 'lang="vi"')
        self.assertContains(response, "Trang tổng quan")

    def test_new_bulletin_form_starts_with_toolbar_and_view_data(self):
        url = reverse(
            "wagtailadmin_pages:add",
            args=["bulletins", "bulletinpage", self.category.pk],
        )
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        # Block labels travel to the editor as JSON, with non-ASCII characters escaped.
        self.assertContains(response, json.dumps("Thanh công cụ bản tin")[1:-1])
        self.assertContains(response, json.dumps("Nội dung bản tin")[1:-1])
        body = response.context["form"].instance.body
        self.assertEqual([block.block_type for block in body], ["toolbar", "view_data"])


class TestCreatingBulletinsThroughTheAdmin(AdminTestCase):
    def test_page_type_rules(self):
        self.assertCanCreateAt(BulletinIndexPage, BulletinPage)
        self.assertCanNotCreateAt(HomePage, BulletinPage)
        self.assertAllowedParentPageTypes(BulletinPage, {BulletinIndexPage})

    def test_editor_creates_a_bulletin(self):
        self.assertCanCreate(
            self.category,
            BulletinPage,
            bulletin_form_data(
                title="Khởi công nâng cấp đường tỉnh 258",
                lead="Sáng 5/4, UBND tỉnh tổ chức lễ khởi công.",
                paragraph="<p>Tuyến đường dài 12 km.</p>",
                author="Thu Trang",
                date="05/04/2024",
            ),
        )
        page = BulletinPage.objects.get(title="Khởi công nâng cấp đường tỉnh 258")
        self.assertEqual(page.slug, "khoi-cong-nang-cap-duong-tinh-258")
        self.assertEqual(page.get_parent().specific, self.category)
        self.assertEqual(page.date, datetime.date(2024, 4, 5))
        self.assertEqual(page.lead, "Sáng 5/4, UBND tỉnh tổ chức lễ khởi công.")
        self.assertEqual(page.author, "Thu Trang")

    def test_bulletin_without_date_takes_the_publication_date(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["bulletins", "bulletinpage", self.category.pk]
        )
        data = bulletin_form_data("Tin không ghi ngày", "Sapo.", "<p>Nội dung.</p>", "An Nhiên")
        data["action-publish"] = "publish"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        page = BulletinPage.objects.get(title="Tin không ghi ngày")
        self.assertTrue(page.live)
        self.assertEqual(page.date, page.first_published_at.astimezone().date())

    def test_invalid_form_shows_a_message_and_saves_nothing(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["bulletins", "bulletinpage", self.category.pk]
        )
        data = bulletin_form_data("", "Sapo.", "<p>Nội dung.</p>", "An Nhiên")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(BulletinPage.objects.exists())
        self.assertContains(response, "error-message")

    def test_category_and_home_edit_forms_render(self):
        for page in (self.home, self.category):
            response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            self.assertEqual(response.status_code, 200)


@pytest.mark.django_db
def test_a_new_category_can_be_previewed_before_it_is_saved(admin_client, home):
    # The preview of a category not yet created lists no bulletins; it was a server error
    # (its bulletins were filtered by an unsaved category).
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["bulletins", "bulletinindexpage", home.pk]
    )
    data = nested_form_data({"title": "Chuyên mục mới", "slug": "", "intro": "Giới thiệu."})
    assert admin_client.post(url, data).json()["is_valid"]
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Chuyên mục mới" in response.content.decode()
