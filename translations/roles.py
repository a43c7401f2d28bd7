"""The translator role (Biên dịch viên): translate into the other languages and publish there,
never edit or publish the Vietnamese original.

Wagtail's page permissions hold for a page and its subtree, and each language's pages form
their own tree under Wagtail's root (its translated home page). So the group's page
permissions are granted on every home page that is not in the default language, creating
that home page by translation when it is missing; wagtail-localize's `submit_translation`
lets its members start translations. `ensure_translator_role()` is idempotent.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import GroupPagePermission, Locale, Site
from wagtail_localize.operations import translate_object

TRANSLATORS = "Biên dịch viên"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
GLOBAL_PERMISSIONS = [("wagtailadmin", "access_admin"), ("wagtail_localize", "submit_translation")]


@dataclass
class RoleReport:
    created: list[str] = field(default_factory=list)
    home_pages: list[str] = field(default_factory=list)


# Permissions that Wagtail's and wagtail-localize's data migrations create on a content type of
# their own (no model behind it): made again as those migrations make them when a database was
# emptied since (a flush keeps only model permissions).
MIGRATION_PERMISSIONS = {
    ("wagtailadmin", "access_admin"): ("admin", "Can access Wagtail admin"),
    ("wagtail_localize", "submit_translation"): ("translation", "Can submit translations"),
}


def _permission(app_label: str, codename: str) -> Permission:
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        if (app_label, codename) not in MIGRATION_PERMISSIONS:
            raise
    model, name = MIGRATION_PERMISSIONS[app_label, codename]
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def translated_home_pages() -> list:
    """Each site's home page in every content language but the default, translated now if
    it is missing."""
    default = Locale.get_default()
    homes = []
    for locale in Locale.objects.exclude(pk=default.pk):
        for site in Site.objects.select_related("root_page"):
            root = site.root_page.specific
            translation = root.get_translation_or_none(locale)
            if translation is None:
                translate_object(root, [locale])
                translation = root.get_translation(locale)
            homes.append(translation)
    return homes


@transaction.atomic
def ensure_translator_role() -> tuple[Group, RoleReport]:
    report = RoleReport()
    group, created = Group.objects.get_or_create(name=TRANSLATORS)
    if created:
        report.created.append(f"nhóm “{TRANSLATORS}”")
    for app_label, codename in GLOBAL_PERMISSIONS:
        permission = _permission(app_label, codename)
        if not group.permissions.filter(pk=permission.pk).exists():
            group.permissions.add(permission)
            report.created.append(f"quyền {codename}")
    for home in translated_home_pages():
        report.home_pages.append(f"{home.title} ({home.locale.language_code})")
        for codename in PAGE_PERMISSIONS:
            _, created = GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=_permission("wagtailcore", codename)
            )
            if created:
                report.created.append(f"quyền {codename} trên “{home.title}”")
    return group, report
