"""Editing keeps history: editors compare revisions and revert."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from bulletins.models import BulletinPage
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory
from tests.test_admin import bulletin_form_data


class TestRevisions(WagtailPageTestCase):
    def setUp(self):
        home = HomePageFactory(parent=Page.get_first_root_node())
        Site.objects.filter(is_default_site=True).update(root_page=home)
        category = BulletinIndexPageFactory(parent=home, slug="tin-tuc")
        self.page = BulletinPageFactory(parent=category, title="Bản gốc")
        self.page.save_revision().publish()
        self.client.force_login(
            get_user_model().objects.create_superuser("bientap", "b@example.org", "x")
        )

    def edit(self, title: str, paragraph: str, publish: bool = True):
        data = bulletin_form_data(title, "Sapo.", paragraph, "Minh Huyền", "21/03/2023")
        data["slug"] = self.page.slug
        if publish:
            data["action-publish"] = "publish"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[self.page.pk]), data)
        if response.status_code != 302:
            form = response.context["form"]
            self.fail(f"{form.errors.as_json()} {form.formsets}")

    def test_each_edit_keeps_a_revision(self):
        self.edit("Bản sửa lần một", "<p>Nội dung một.</p>")
        self.edit("Bản sửa lần hai", "<p>Nội dung hai.</p>")
        titles = [r.as_object().title for r in self.page.revisions.order_by("created_at")]
        self.assertEqual(titles, ["Bản gốc", "Bản sửa lần một", "Bản sửa lần hai"])

    def test_editor_compares_two_revisions(self):
        self.edit("Bản sửa lần một", "<p>Nội dung cũ.</p>")
        self.edit("Bản sửa lần hai", "<p>Nội dung mới.</p>")
        first, second = self.page.revisions.order_by("created_at")[1:3]
        response = self.client.get(
            reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[self.page.pk, first.pk, second.pk],
            )
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nội dung cũ")
        self.assertContains(response, "Nội dung mới")

    def test_editor_reverts_to_an_earlier_revision(self):
        self.edit("Bản sửa lần một", "<p>Nội dung một.</p>")
        old = self.page.revisions.order_by("created_at")[1]
        self.edit("Bản sửa lần hai", "<p>Nội dung hai.</p>")

        revert_form = self.client.get(
            reverse("wagtailadmin_pages:revisions_revert", args=[self.page.pk, old.pk])
        )
        self.assertEqual(revert_form.status_code, 200)
        self.assertContains(revert_form, "Bản sửa lần một")

        self.edit("Bản sửa lần một", "<p>Nội dung một.</p>")
        self.page.refresh_from_db()
        live = BulletinPage.objects.get(pk=self.page.pk)
        self.assertEqual(live.title, "Bản sửa lần một")
        self.assertEqual(self.page.revisions.count(), 4)

    def test_revisions_index_lists_history(self):
        self.edit("Bản sửa", "<p>Nội dung.</p>")
        response = self.client.get(reverse("wagtailadmin_pages:history", args=[self.page.pk]))
        self.assertEqual(response.status_code, 200)
