from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.slugs import ascii_slugify

from .models import Topic

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


class TopicForm(WagtailAdminModelForm):
    def clean_slug(self):
        # "chuyển-đổi-số" typed by hand is folded as the bulletin form folds new topics:
        # the topic's address takes ASCII only. Left empty, a new topic derives it from its
        # name on save (numbered if taken); an edited one, here.
        slug = self.cleaned_data.get("slug")
        if slug:
            return ascii_slugify(slug)
        if self.instance.pk:
            return self.instance.slugify(self.cleaned_data.get("name") or "")
        return slug


# Topics (chủ đề): editors rename or remove a topic in one place, for every bulletin using it.
class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Chủ đề"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("slug")], base_form_class=TopicForm)


register_snippet(TopicViewSet)
