"""Reader pages cost a bounded number of SQL queries, whatever the content holds."""

from urllib.parse import urlencode

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Site

from bulletins.body import bulletin_body, stream_block
from caching.generations import forget_pages_of_sites
from tests.factories import BulletinPageFactory

pytestmark = pytest.mark.django_db

# Routing reads nothing once warm: the site is cached (portal.sites), and its root page and the
# bulletin (with its category and topics) are cached under the site's generation token
# (portal.routing); no view-restriction query while no page is restricted
# (portal.view_restrictions); breadcrumbs reuse the parents routing set. Then one query per
# kind of media in the body (images, their renditions, documents, embeds), and the view count
# stored so far (1, stats), shown to readers without JavaScript. The related bulletins and "Tin
# khác" come from lists cached per site, category and topic set (bulletins.related).
BULLETIN_QUERY_BUDGET = 5
# The first reader after a publish reads again what is kept under the site's token: the root
# page (1), the bulletin with its category (1) and its topics (1), and the suggestion lists,
# two queries per list, at most three lists.
ROUTING_QUERIES = 3
SUGGESTION_LISTS_QUERIES = 3 * 2
CATEGORY_QUERY_BUDGET = 8


def queries_for(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (site root paths) as a running server has
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _rich_body(images, documents, embed_urls, paragraphs: int) -> list[dict]:
    body = bulletin_body(
        date=None, lead="Sapo.", paragraphs=[f"Đoạn {i}." for i in range(paragraphs)]
    )
    content = body[1]["value"]["content"]

    def add(block_type, value):
        content.append(stream_block(block_type, value))

    for image in images:
        add("image", {"image": image.pk, "alt_text": "Ảnh", "caption": "", "credit": ""})
    for document in documents:
        add("document", {"document": document.pk, "title": ""})
    for url in embed_urls:
        add("embed", url)
    add("heading", {"text": "Mục", "level": "h2"})
    add("quote", {"text": "Trích dẫn", "attribution": ""})
    return body


def _stored_embed(n: int) -> str:
    url = f"https://www.youtube.com/watch?v=video{n}"
    Embed.objects.create(
        url=url, hash=get_embed_hash(url), type="video", html=f"<iframe title='v{n}'></iframe>"
    )
    return url


def _document(n: int) -> Document:
    document = Document.objects.create(title=f"Văn bản {n}")
    document.file.save(f"van-ban-{n}.pdf", ContentFile(b"%PDF-1.4"))
    return document


def test_bulletin_page_queries_do_not_grow_with_its_body(client, category):
    small = BulletinPageFactory(parent=category, body=_rich_body([], [], [], paragraphs=1))
    images = [wagtail_factories.ImageFactory() for _ in range(8)]
    documents = [_document(n) for n in range(5)]
    embeds = [_stored_embed(n) for n in range(5)]
    large = BulletinPageFactory(
        parent=category, body=_rich_body(images, documents, embeds, paragraphs=40)
    )
    # Renditions are created on the first view; later views find them prefetched.
    client.get(large.url)

    small_count = queries_for(client, small.url)
    large_count = queries_for(client, large.url)
    one_of_each = BulletinPageFactory(
        parent=category, body=_rich_body(images[:1], documents[:1], embeds[:1], paragraphs=1)
    )
    client.get(one_of_each.url)
    assert queries_for(client, one_of_each.url) == large_count
    assert large_count <= BULLETIN_QUERY_BUDGET
    assert small_count <= large_count


def _linking_body(targets, documents) -> list[dict]:
    """A paragraph per page link and one per document link."""
    body = bulletin_body(date=None, lead="Sapo.", paragraphs=[])
    content = body[1]["value"]["content"]
    for target in targets:
        content.append(
            stream_block("paragraph", f'<p>Xem <a linktype="page" id="{target.pk}">tin</a>.</p>')
        )
    for document in documents:
        content.append(
            stream_block(
                "paragraph", f'<p>Tải <a linktype="document" id="{document.pk}">văn bản</a>.</p>'
            )
        )
    return body


def test_links_in_paragraphs_cost_no_query_per_paragraph(client, category, settings):
    # With fragments off: what an editor's preview or the first reader after a publish costs.
    settings.FRAGMENT_CACHE_SECONDS = 0
    others = BulletinPageFactory.create_batch(10, parent=category)
    documents = [_document(n) for n in range(10)]
    one = BulletinPageFactory(parent=category, body=_linking_body(others[:1], documents[:1]))
    many = BulletinPageFactory(parent=category, body=_linking_body(others, documents))
    assert queries_for(client, many.url) == queries_for(client, one.url)
    html = client.get(many.url).content.decode()
    for target in others:
        assert f'<a href="{target.url}">tin</a>' in html
    for document in documents:
        assert f'<a href="{document.url}">văn bản</a>' in html


def test_the_first_view_after_a_publish_reads_routing_and_suggestions_once(client, category):
    BulletinPageFactory.create_batch(3, parent=category)
    current = BulletinPageFactory(parent=category)
    current.topics.add("Nông thôn mới", "Giao thông", "Y tế")
    current.save()
    warm = queries_for(client, current.url)
    forget_pages_of_sites({Site.objects.get(is_default_site=True).pk})  # as a publish does
    with CaptureQueriesContext(connection) as cold:
        client.get(current.url)
    assert len(cold) <= warm + ROUTING_QUERIES + SUGGESTION_LISTS_QUERIES
    assert warm <= BULLETIN_QUERY_BUDGET


def test_category_page_queries_do_not_grow_with_bulletins_listed(client, category):
    for _ in range(3):
        BulletinPageFactory(parent=category, listing_image=wagtail_factories.ImageFactory())
    few = queries_for(client, category.url)
    for _ in range(17):
        BulletinPageFactory(parent=category, listing_image=wagtail_factories.ImageFactory())
    many = queries_for(client, category.url)
    assert many == few
    assert many <= CATEGORY_QUERY_BUDGET


def test_home_page_queries_do_not_grow_with_bulletins(client, home, category):
    BulletinPageFactory(parent=category)
    few = queries_for(client, home.url)
    for _ in range(10):
        BulletinPageFactory(parent=category)
    assert queries_for(client, home.url) == few


@pytest.mark.parametrize("query", [{}, {"type": "bulletins.BulletinPage"}])
def test_api_listing_queries_do_not_grow_with_items_listed(client, category, query):
    url = "/api/v2/pages/?" + urlencode(query)
    BulletinPageFactory.create_batch(2, parent=category)
    few = queries_for(client, url)
    BulletinPageFactory.create_batch(8, parent=category)
    assert queries_for(client, url) == few
