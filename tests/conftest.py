import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Menus and settings are cached; no test may see another test's pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    """A HomePage as the root of the default site, replacing Wagtail's welcome page."""
    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Thử"},
    )
    return home


@pytest.fixture
def category(home):
    return BulletinIndexPageFactory(parent=home, title="Tin tức - Sự kiện", slug="tin-tuc")


@pytest.fixture
def bulletin(category):
    return BulletinPageFactory(parent=category)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("bientap", "bientap@example.org", "matkhau")
    client.force_login(user)
    return client
