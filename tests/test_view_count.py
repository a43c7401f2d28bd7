"""The view counter ("Lượt xem"): the beacon endpoint, the count shown on a bulletin, Redis
counting and its flush to the database, and a Redis restart. Tests marked `celery` use a real
Redis (and, for the beat task, the real worker)."""

import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from stats import counter
from stats.models import FlushedBatch, ViewCount
from stats.tasks import flush_view_counts
from tests.conftest import wagtail_root
from tests.factories import BulletinPageFactory, HomePageFactory


def beacon(page_id: int, client: Client | None = None, **headers):
    return (client or Client()).post(reverse("stats:record_view", args=[page_id]), **headers)


def stored(page) -> int:
    return ViewCount.objects.filter(page=page).values_list("count", flat=True).first() or 0


@pytest.fixture
def counted_in_redis(redis_server, settings):
    """The counter on the test Redis, under keys of this test's own."""
    settings.VIEW_COUNT_REDIS_URL = redis_server.url
    settings.VIEW_COUNT_KEY_PREFIX = f"test-{uuid.uuid4().hex}:luot-xem"
    counter.forget_redis_failure()
    client = redis.Redis.from_url(redis_server.url)
    yield client
    counter.forget_redis_failure()
    client.close()


@pytest.mark.django_db
def test_a_beacon_sent_to_another_site_counts_nothing(home, bulletin, settings):
    settings.VIEW_COUNT_REDIS_URL = ""
    commune = HomePageFactory(parent=wagtail_root(), title="Xã Phiêng Lá", slug="xa")
    Site.objects.create(hostname="xa.example.vn", port=80, root_page=commune)
    assert beacon(bulletin.pk, HTTP_HOST="xa.example.vn").status_code == 404
    assert stored(bulletin) == 0
    assert beacon(bulletin.pk).json()["da_dem"] is True


# --- Embedded default: no Redis, counted in the database ---


@pytest.mark.django_db
def test_without_redis_each_reader_counts_once_per_window_in_the_database(bulletin, settings):
    settings.VIEW_COUNT_REDIS_URL = None
    reader = Client(HTTP_USER_AGENT="Trình duyệt A")
    first = beacon(bulletin.pk, reader)
    assert first.status_code == 200
    assert first.json() == {"trang": bulletin.pk, "luot_xem": 1, "da_dem": True}
    assert first["Cache-Control"].startswith("max-age=0")

    again = beacon(bulletin.pk, reader).json()
    assert (again["luot_xem"], again["da_dem"]) == (1, False), "a reload is not a new view"
    other = beacon(bulletin.pk, Client(HTTP_USER_AGENT="Trình duyệt B")).json()
    assert (other["luot_xem"], other["da_dem"]) == (2, True)
    assert stored(bulletin) == 2
    assert bulletin.revisions.count() <= 1, "counting never saves the page"


@pytest.mark.django_db
def test_the_beacon_counts_only_live_bulletins_and_never_fails(category, bulletin, settings):
    settings.VIEW_COUNT_REDIS_URL = None
    draft = BulletinPageFactory(parent=category, live=False)
    for page_id in (draft.pk, category.pk, 987654, 2**31, 10**30):
        response = beacon(page_id)
        assert response.status_code == 404, page_id
        assert "Không có bản tin" in response.json()["loi"]
    assert Client().get(reverse("stats:record_view", args=[bulletin.pk])).status_code == 405
    assert Client().post(f"/luot-xem/{bulletin.pk}x/").status_code == 404
    assert not ViewCount.objects.exists()


@pytest.mark.django_db
def test_an_address_a_reader_writes_into_x_forwarded_for_counts_for_nothing(bulletin, settings):
    """Behind one proxy, the reader's address is the one the proxy appended: a reader who
    puts a new address of their own before it each time is still one reader."""
    settings.VIEW_COUNT_REDIS_URL = None
    settings.TRUSTED_PROXY_COUNT = 1
    reader = Client(HTTP_USER_AGENT="Trình duyệt A", REMOTE_ADDR="10.0.0.2")
    forged = [f"198.51.100.{n}, 203.0.113.7" for n in (1, 2, 3)]
    counted = [beacon(bulletin.pk, reader, HTTP_X_FORWARDED_FOR=f).json()["da_dem"] for f in forged]
    assert counted == [True, False, False]
    other = beacon(bulletin.pk, reader, HTTP_X_FORWARDED_FOR="203.0.113.8").json()
    assert other["da_dem"], "another address the proxy saw is another reader"

    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is not believed at all
    ViewCount.objects.all().delete()
    cache.clear()
    counted = [beacon(bulletin.pk, reader, HTTP_X_FORWARDED_FOR=f).json()["da_dem"] for f in forged]
    assert counted == [True, False, False]


@pytest.mark.django_db
def test_a_bulletin_shows_its_stored_count_and_sends_the_beacon(bulletin):
    ViewCount.objects.create(page=bulletin, count=1234)
    html = Client().get(bulletin.url).content.decode()
    assert f'data-view-count-url="/luot-xem/{bulletin.pk}/"' in html
    assert "Lượt xem:" in html
    assert "data-view-count-value>1234</span>" in html
    assert "js/view-count.js" in html


@pytest.mark.django_db
def test_without_redis_the_flush_has_nothing_to_do(bulletin, settings):
    settings.VIEW_COUNT_REDIS_URL = None
    assert flush_view_counts() == 0


def test_beat_flushes_view_counts_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["ghi-luot-xem"]
    assert entry["task"] == "stats.tasks.flush_view_counts"
    assert str(entry["schedule"]) == "<crontab: * * * * * (m/h/dM/MY/d)>"


# --- With a real Redis ---


@pytest.mark.celery
@pytest.mark.django_db
def test_with_redis_a_view_writes_nothing_to_the_database(bulletin, counted_in_redis):
    ViewCount.objects.create(page=bulletin, count=40)
    with CaptureQueriesContext(connection) as queries:
        for reader in ("A", "B", "C"):
            answer = beacon(bulletin.pk, HTTP_USER_AGENT=reader).json()
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert answer == {"trang": bulletin.pk, "luot_xem": 43, "da_dem": True}
    assert stored(bulletin) == 40, "not flushed yet"


@pytest.mark.celery
@pytest.mark.django_db
def test_the_flush_moves_counts_to_the_database_once(category, bulletin, counted_in_redis):
    other = BulletinPageFactory(parent=category)
    for reader in ("A", "B"):
        beacon(bulletin.pk, HTTP_USER_AGENT=reader)
    beacon(other.pk)
    assert flush_view_counts() == 3
    assert (stored(bulletin), stored(other)) == (2, 1)
    assert flush_view_counts() == 0, "a second flush adds nothing"
    assert (stored(bulletin), stored(other)) == (2, 1)
    assert beacon(bulletin.pk, HTTP_USER_AGENT="C").json()["luot_xem"] == 3


@pytest.mark.celery
@pytest.mark.django_db
def test_views_during_a_flush_are_kept_for_the_next(bulletin, counted_in_redis, monkeypatch):
    beacon(bulletin.pk, HTTP_USER_AGENT="A")
    read_batch = redis.Redis.hgetall

    def a_view_arrives_while_the_batch_is_read(self, key):
        beacon(bulletin.pk, HTTP_USER_AGENT="B")
        return read_batch(self, key)

    monkeypatch.setattr(redis.Redis, "hgetall", a_view_arrives_while_the_batch_is_read)
    assert counter.flush() == 1
    monkeypatch.setattr(redis.Redis, "hgetall", read_batch)
    assert stored(bulletin) == 1
    assert counter.flush() == 1
    assert stored(bulletin) == 2


@pytest.mark.celery
@pytest.mark.django_db
def test_a_flush_that_dies_after_its_commit_is_not_added_twice(
    bulletin, counted_in_redis, monkeypatch
):
    for reader in ("A", "B"):
        beacon(bulletin.pk, HTTP_USER_AGENT=reader)

    def redis_goes_away(self, *keys):
        raise redis.ConnectionError("mất kết nối")

    monkeypatch.setattr(redis.Redis, "delete", redis_goes_away)
    with pytest.raises(redis.ConnectionError):
        counter.flush()
    monkeypatch.undo()
    assert stored(bulletin) == 2
    assert FlushedBatch.objects.count() == 1
    assert counted_in_redis.keys(f"{counter._key('dang-ghi')}:*"), "the batch was left behind"

    assert counter.flush() == 0
    assert stored(bulletin) == 2
    assert not counted_in_redis.keys(f"{counter._key('dang-ghi')}:*")


@pytest.mark.celery
@pytest.mark.django_db
def test_counts_survive_a_redis_restart_up_to_the_last_flush(
    bulletin, counted_in_redis, redis_server
):
    if redis_server.external:
        pytest.skip("REDIS_URL is a Redis this test cannot stop")
    for reader in ("A", "B", "C"):
        beacon(bulletin.pk, HTTP_USER_AGENT=reader)
    counter.flush()
    for reader in ("D", "E"):
        beacon(bulletin.pk, HTTP_USER_AGENT=reader)
    assert beacon(bulletin.pk, HTTP_USER_AGENT="E").json()["luot_xem"] == 5

    redis_server.stop()
    try:
        answer = beacon(bulletin.pk, HTTP_USER_AGENT="F")
        assert answer.status_code == 200
        assert answer.json() == {"trang": bulletin.pk, "luot_xem": 3, "da_dem": False}
        assert Client().get(bulletin.url).status_code == 200
    finally:
        redis_server.start()
    counter.forget_redis_failure()

    assert counter.flush() == 0, "the views since the last flush went with Redis"
    assert stored(bulletin) == 3
    assert beacon(bulletin.pk, HTTP_USER_AGENT="G").json() == {
        "trang": bulletin.pk,
        "luot_xem": 4,
        "da_dem": True,
    }


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_beat_s_flush_runs_on_the_worker(celery_tasks, redis_server, bulletin, settings):
    # The worker counts under the default prefix, from its REDIS_URL.
    settings.VIEW_COUNT_REDIS_URL = redis_server.url
    counter.forget_redis_failure()
    for reader in ("A", "B"):
        beacon(bulletin.pk, HTTP_USER_AGENT=reader)
    flush_view_counts.delay()  # what beat sends every minute
    from tests.test_celery import wait_for

    wait_for(lambda: stored(bulletin) == 2, "the worker flushed the views")
    assert not redis.Redis.from_url(redis_server.url).exists(counter._pending_key())
