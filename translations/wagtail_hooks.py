from django.urls import path
from wagtail import hooks

from . import po_upload


@hooks.register("register_admin_urls")
def register_checked_po_upload():
    # The same address as wagtail-localize's upload view ("wagtail_localize:upload_pofile"):
    # this app's hooks run first, so uploads go through the checks in po_upload.
    return [
        path(
            "localize/translate/<int:translation_id>/pofile/upload/",
            po_upload.upload_pofile,
            name="portal_upload_pofile",
        )
    ]
