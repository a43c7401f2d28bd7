"""Who is given what the cache keeps beneath the page cache (routes, template fragments).

Readers are. Signed-in users (editors) and previews are not: they see the database as it is,
as the page cache never serves them either.
"""


def gets_cached_parts(request) -> bool:
    if request is None or getattr(request, "is_preview", False):
        return False
    # request.user is lazy: for a reader without a session cookie it reads nothing.
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)
