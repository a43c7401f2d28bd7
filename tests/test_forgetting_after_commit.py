"""What a reader reads while an editor's change is being committed must not outlive the commit:
Django deletes a page (and every signal receiver runs) inside one transaction, so a reader
between the receivers and the commit still sees the page."""

import threading
from contextlib import contextmanager

import pytest
from django.db.models.signals import post_delete
from django.test import Client
from wagtail.actions.delete_page import DeletePageAction
from wagtail.models import Page

from bulletins.listing import category_archive
from bulletins.models import BulletinPage
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def a_second_connection_sees_the_database():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a second connection to the in-memory SQLite database sees nothing")


def read_in_another_connection(url) -> int:
    result = {}

    def run():
        from django.db import connection

        try:
            result["status"] = Client().get(url).status_code
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return result.get("status")


@contextmanager
def a_reader_during_the_commit(sender, url):
    """A reader asks for `url` after the deletion's own receivers ran, before its commit."""
    statuses = []

    def read(**kwargs):
        if not statuses:
            statuses.append(read_in_another_connection(url))

    post_delete.connect(read, sender=sender, dispatch_uid="reader-during-commit")
    try:
        yield statuses
    finally:
        post_delete.disconnect(sender=sender, dispatch_uid="reader-during-commit")
    assert statuses == [200]


def test_a_deleted_bulletin_leaves_its_categorys_archive(category):
    BulletinPageFactory(parent=category, title="Tin còn lại")
    deleted = BulletinPageFactory(parent=category, title="Tin bị xoá")
    assert Client().get(category.url).status_code == 200
    assert category_archive(category).count == 2

    with a_reader_during_the_commit(BulletinPage, category.url):
        DeletePageAction(Page.objects.get(pk=deleted.pk)).execute(skip_permission_checks=True)

    assert category_archive(category).count == 1


def test_a_deleted_category_leaves_the_menu(home, category):
    gone = BulletinIndexPageFactory(parent=home, title="Chuyên mục cũ", slug="chuyen-muc-cu")
    assert 'href="/chuyen-muc-cu/"' in Client().get(home.url).content.decode()

    with a_reader_during_the_commit(Page, home.url):
        DeletePageAction(Page.objects.get(pk=gone.pk)).execute(skip_permission_checks=True)

    assert Client().get("/chuyen-muc-cu/").status_code == 404
    assert 'href="/chuyen-muc-cu/"' not in Client().get(category.url).content.decode()
