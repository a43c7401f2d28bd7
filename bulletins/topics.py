"""Where a topic's listing lives on a site: `<site root>/chu-de/<slug>/` (a HomePage route)."""

from dataclasses import dataclass

TOPIC_ROUTE_PREFIX = "chu-de"


@dataclass(frozen=True)
class TopicLink:
    topic: object
    url: str


def topic_listing_url(site_root_url: str, topic) -> str:
    return f"{site_root_url.rstrip('/')}/{TOPIC_ROUTE_PREFIX}/{topic.slug}/"
