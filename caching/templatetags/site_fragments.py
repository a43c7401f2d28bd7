"""`{% sitefragment "name" [vary_on …] %}…{% endsitefragment %}`: a part of a reader page kept
in the cache under the request's site generation token and language, for FRAGMENT_CACHE_SECONDS.

Whatever forgets a site's cached pages (a publish, a move, a change to the site's settings;
caching.generations) forgets its fragments with them, so a fragment needs no key of its own
for what it shows: name it, and vary it on what differs between pages (`page.pk`). Editors
and previews always render it (caching.audience).
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.utils.translation import get_language
from wagtail.models import Site

from caching.audience import gets_cached_parts
from caching.generations import generation_for_request

register = template.Library()


class SiteFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        if settings.FRAGMENT_CACHE_SECONDS == 0:  # fragments turned off
            return self.nodelist.render(context)
        request = context.get("request")
        site = Site.find_for_request(request) if gets_cached_parts(request) else None
        generation = generation_for_request(request, site.pk) if site else None
        if generation is None:  # an editor, a preview, no site, or no cache (Redis away)
            return self.nodelist.render(context)
        vary_on = [site.pk, generation, get_language()]
        vary_on += [variable.resolve(context) for variable in self.vary_on]
        key = make_template_fragment_key(f"site-fragment:{self.name}", vary_on)
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, settings.FRAGMENT_CACHE_SECONDS)
        return html


@register.tag
def sitefragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a quoted fragment name first")
    nodelist = parser.parse(("endsitefragment",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in bits[2:]]
    return SiteFragmentNode(nodelist, bits[1][1:-1], vary_on)
