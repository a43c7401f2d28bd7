"""Checks on a translator's PO file before wagtail-localize imports it.

wagtail-localize refuses a PO file that polib cannot parse or that belongs to another
translation, but a file without its translation id raises (a 500), and one whose strings are
not this page's is imported silently, as nothing. Here every such file is refused with a
Vietnamese message and nothing is changed; a good file goes on to wagtail-localize's own view.
"""

import os
import tempfile

import polib
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail_localize.models import StringSegment, Translation
from wagtail_localize.views import edit_translation

MAX_PO_BYTES = 5 * 1024 * 1024


class RefusedPOFile(ValueError):
    """Why a PO file is not imported, in words for the translator."""


def read_po_file(upload, translation: Translation) -> polib.POFile:
    """The uploaded PO file, parsed and checked against `translation`; raises RefusedPOFile."""
    if upload is None:
        raise RefusedPOFile("Chưa chọn tệp PO để tải lên.")
    if upload.size > MAX_PO_BYTES:
        raise RefusedPOFile("Tệp PO quá lớn (tối đa 5 MB).")
    content = upload.read()
    upload.seek(0)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RefusedPOFile("Tệp PO phải được lưu theo bảng mã UTF-8.") from error
    # polib.pofile takes a path or the text itself; a path keeps a file's content from being
    # read as the name of another file.
    with tempfile.NamedTemporaryFile(suffix=".po", delete=False) as temporary:
        temporary.write(content)
    try:
        po = polib.pofile(temporary.name)
    except (OSError, ValueError) as error:
        raise RefusedPOFile(f"Tệp PO sai cú pháp: {error}") from error
    finally:
        os.unlink(temporary.name)
    translation_id = po.metadata.get("X-WagtailLocalize-TranslationID")
    if translation_id is None:
        raise RefusedPOFile(
            "Tệp PO không phải tệp tải về từ bản dịch này (thiếu mã bản dịch). Hãy tải tệp PO "
            "của bản dịch về, dịch trong tệp đó rồi tải lên lại."
        )
    if translation_id != str(translation.uuid):
        raise RefusedPOFile("Tệp PO này thuộc về một bản dịch khác, không phải bản dịch này.")
    known = set(
        StringSegment.objects.filter(source=translation.source).values_list(
            "string__data", "context__path"
        )
    )
    unknown = [
        entry.msgid
        for entry in po
        if not entry.obsolete and (entry.msgid, entry.msgctxt) not in known
    ]
    if unknown:
        raise RefusedPOFile(
            f"Tệp PO có {len(unknown)} chuỗi không có trong bản gốc (ví dụ “{unknown[0][:80]}”): "
            "có thể bản gốc đã thay đổi. Hãy tải tệp PO mới về."
        )
    return po


@require_POST
def upload_pofile(request, translation_id):
    """wagtail-localize's upload view, behind the checks above."""
    translation = get_object_or_404(Translation, id=translation_id)
    if not edit_translation.user_can_edit_instance(request.user, translation.get_target_instance()):
        return edit_translation.upload_pofile(request, translation_id)  # its PermissionDenied
    try:
        read_po_file(request.FILES.get("file"), translation)
    except RefusedPOFile as refusal:
        messages.error(request, str(refusal))
        return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))
    return edit_translation.upload_pofile(request, translation_id)
