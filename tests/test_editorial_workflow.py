"""The editorial workflow: editors create and submit, the head of the editorial board approves
and publishes or sends back with a comment (issue 7, editors)."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Workflow

from bulletins.models import BulletinPage
from editorial.workflow import APPROVERS, EDITORS, WORKFLOW_NAME
from tests.factories import BulletinPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workflow_setup(capsys):
    call_command("setup_editorial_workflow")
    return capsys.readouterr().out


@pytest.fixture
def editor(django_user_model, workflow_setup):
    user = django_user_model.objects.create_user("bientapvien", password="matkhau")
    user.groups.add(django_user_model.groups.field.related_model.objects.get(name=EDITORS))
    return user


@pytest.fixture
def approver(django_user_model, workflow_setup):
    user = django_user_model.objects.create_user("truongban", password="matkhau")
    user.groups.add(django_user_model.groups.field.related_model.objects.get(name=APPROVERS))
    return user


def test_setup_is_idempotent(workflow_setup, capsys):
    assert "Đã tạo: nhóm “Biên tập viên”" in workflow_setup
    counts = _counts()
    call_command("setup_editorial_workflow")
    assert "Không có gì thay đổi" in capsys.readouterr().out
    assert _counts() == counts


def _counts() -> dict:
    from django.contrib.auth.models import Group
    from wagtail.models import GroupCollectionPermission, GroupPagePermission, Task

    return {
        "groups": Group.objects.count(),
        "page permissions": GroupPagePermission.objects.count(),
        "collection permissions": GroupCollectionPermission.objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": Task.objects.count(),
    }


def test_every_page_follows_the_workflow(workflow_setup, bulletin):
    assert bulletin.get_workflow().name == WORKFLOW_NAME
    assert Page.get_first_root_node().get_workflow().name == WORKFLOW_NAME


def test_editors_write_but_only_approvers_publish(editor, approver, category):
    editor_can = category.permissions_for_user(editor)
    assert editor_can.can_add_subpage() and editor_can.can_edit()
    assert not editor_can.can_publish_subpage()
    assert category.permissions_for_user(approver).can_publish_subpage()


def test_submitted_bulletin_is_published_on_approval(editor, approver, category):
    draft = BulletinPageFactory(parent=category, title="Bản tin chờ duyệt", live=False)
    draft.save_revision(user=editor)
    state = draft.get_workflow().start(draft, editor)
    assert state.status == state.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    assert approver in task_state.task.specific.groups.first().user_set.all()

    task_state.task.specific.on_action(task_state, approver, "approve", comment="Đồng ý")
    draft.refresh_from_db()
    assert draft.live
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED


def test_approver_can_send_back_with_a_comment(editor, approver, category):
    draft = BulletinPageFactory(parent=category, title="Bản tin cần sửa", live=False)
    draft.save_revision(user=editor)
    state = draft.get_workflow().start(draft, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(
        task_state, approver, "reject", comment="Đề nghị bổ sung nguồn tin."
    )
    draft.refresh_from_db()
    state.refresh_from_db()
    task_state.refresh_from_db()
    assert not draft.live
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert task_state.comment == "Đề nghị bổ sung nguồn tin."


def test_editor_cannot_approve(editor, category):
    draft = BulletinPageFactory(parent=category, live=False)
    draft.save_revision(user=editor)
    state = draft.get_workflow().start(draft, editor)
    assert state.current_task_state.task.specific.get_actions(draft, editor) == []


def test_editor_submits_through_the_admin_and_cannot_publish(client, editor, category):
    from django.urls import reverse

    from tests.test_admin import bulletin_form_data

    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=["bulletins", "bulletinpage", category.pk])
    form = bulletin_form_data("Tin gửi duyệt", "Sapo.", "<p>Nội dung.</p>", "Thu Hà", "21/03/2023")

    # "Publish" is not offered to an editor; posting it anyway saves a draft, publishes nothing.
    assert 'name="action-publish"' not in client.get(add_url).content.decode()
    assert client.post(add_url, {**form, "action-publish": "1"}).status_code == 302
    page = BulletinPage.objects.get(title="Tin gửi duyệt")
    assert not page.live

    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(edit_url, {**form, "action-submit": "1"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == "in_progress"
    assert not page.live
