"""The editorial workflow of a portal: editors write and submit, the head of the editorial board
approves and publishes, or sends back with a comment.

Built only from Wagtail's own pieces (groups, page and collection permissions, a workflow with
one group-approval task), so moderation, notifications, history, scheduled go-live and expiry
all work as Wagtail documents them. `ensure_editorial_workflow()` is idempotent: it adds what
is missing and never removes what an administrator added on top.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Biên tập viên"
APPROVERS = "Trưởng ban biên tập"
WORKFLOW_NAME = "Biên tập viên → Trưởng ban biên tập duyệt"
TASK_NAME = "Trưởng ban biên tập duyệt"

# Editors draft and submit; only approvers publish. Locking lets either keep a page while
# working on it.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    APPROVERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
# Both upload and choose the images and files a bulletin shows; approvers may also edit them.
COLLECTION_PERMISSIONS = {
    EDITORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    APPROVERS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
}


@dataclass
class SetupReport:
    created: list[str] = field(default_factory=list)

    def add(self, what: str, created: bool) -> None:
        if created:
            self.created.append(what)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _ensure_group(name: str, report: SetupReport) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    report.add(f"nhóm “{name}”", created)
    admin_access = _permission("wagtailadmin", "access_admin")
    if not group.permissions.filter(pk=admin_access.pk).exists():
        group.permissions.add(admin_access)
        report.add(f"quyền vào trang quản trị cho “{name}”", True)
    root_page = Page.get_first_root_node()
    for codename in PAGE_PERMISSIONS[name]:
        _, created = GroupPagePermission.objects.get_or_create(
            group=group, page=root_page, permission=_permission("wagtailcore", codename)
        )
        report.add(f"quyền trang {codename} cho “{name}”", created)
    root_collection = Collection.get_first_root_node()
    for app_label, codename in COLLECTION_PERMISSIONS[name]:
        _, created = GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=_permission(app_label, codename)
        )
        report.add(f"quyền {codename} cho “{name}”", created)
    return group


@transaction.atomic
def ensure_editorial_workflow() -> tuple[Workflow, SetupReport]:
    """Groups, permissions and the workflow, assigned to the whole page tree (every site)."""
    report = SetupReport()
    _ensure_group(EDITORS, report)
    approvers = _ensure_group(APPROVERS, report)

    task, created = GroupApprovalTask.objects.get_or_create(name=TASK_NAME)
    report.add(f"bước duyệt “{TASK_NAME}”", created)
    if not task.groups.filter(pk=approvers.pk).exists():
        task.groups.add(approvers)
        report.add(f"nhóm duyệt của bước “{TASK_NAME}”", True)

    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    report.add(f"quy trình “{WORKFLOW_NAME}”", created)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
        report.add(f"kích hoạt lại quy trình “{WORKFLOW_NAME}”", True)
    _, created = WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    report.add("bước duyệt trong quy trình", created)

    # On the tree's root, so every site of the install (and any added later) follows it,
    # replacing Wagtail's default "Moderators approval" there.
    root_page = Page.get_first_root_node()
    assignment = WorkflowPage.objects.filter(page=root_page).first()
    if assignment is None or assignment.workflow_id != workflow.pk:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
        report.add("áp dụng quy trình cho toàn bộ cây trang", True)
    return workflow, report
