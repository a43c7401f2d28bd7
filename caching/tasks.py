from django_tasks import task
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task


@task()
def purge_frontend_cache(urls: list[str]) -> None:
    """Ask every configured frontend cache (Cloudflare, CloudFront, a PURGE URL) to forget
    these URLs. Idempotent: purging twice is harmless. Wagtail's own task does the work
    (hostname filters, one URL per language); it is called here, not queued a second time."""
    purge_urls_from_cache_task.call(urls)
