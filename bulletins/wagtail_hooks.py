from wagtail import hooks
from wagtail.log_actions import LogFormatter

LEGACY_IMPORT_ACTION = "bulletins.legacy_import"


@hooks.register("register_log_actions")
def register_legacy_import_action(actions) -> None:
    """The history of an imported bulletin says where it came from, in Vietnamese."""

    @actions.register_action(LEGACY_IMPORT_ACTION)
    class LegacyImportFormatter(LogFormatter):
        label = "Nhập từ PublishingPortal"

        def format_message(self, log_entry) -> str:
            data = log_entry.data or {}
            verb = "Nhập và xuất bản" if data.get("created") else "Cập nhật và xuất bản lại"
            return f"{verb} từ tệp lưu trữ PublishingPortal “{data.get('legacy_id', '')}”"
