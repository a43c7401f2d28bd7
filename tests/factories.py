"""Factories with deterministic Vietnamese content."""

import datetime

import factory
import wagtail_factories

from bulletins.body import bulletin_body
from bulletins.models import BulletinIndexPage, BulletinPage
from home.models import HomePage
from tests.vietnamese_text import VietnameseTextGenerator

_text = VietnameseTextGenerator(seed=2024)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Trang chủ"
    slug = "trang-chu"

    class Meta:
        model = HomePage


class BulletinIndexPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Chuyên mục {n}")
    intro = "Tin tức và sự kiện của tỉnh."
    show_in_menus = True

    class Meta:
        model = BulletinIndexPage


class BulletinPageFactory(wagtail_factories.PageFactory):
    title = factory.LazyFunction(_text.title)
    slug = ""  # the page derives its ASCII slug from the Vietnamese title
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) - datetime.timedelta(days=n))
    lead = factory.LazyFunction(_text.sentence)
    paragraphs = factory.LazyFunction(lambda: [_text.paragraph() for _ in range(3)])
    author = factory.LazyFunction(_text.person_name)
    body = factory.LazyAttribute(
        lambda o: bulletin_body(date=o.date, lead=o.lead, paragraphs=o.paragraphs, author=o.author)
    )

    class Meta:
        model = BulletinPage
        exclude = ["paragraphs"]
