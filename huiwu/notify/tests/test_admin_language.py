"""The administration site reads in Chinese throughout: every section, model, column, field, fieldset, filter
and action, the third-party ones (django-axes, django-tasks) included, which ship no zh-Hans catalogue."""

import html
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from huiwu.notify.models import Delivery, Endpoint, Notification
from huiwu.notify.tasks import delivery_enqueue
from huiwu.testing import login_as

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Names that read the same in Chinese.
UNCHANGED = {"ID", "URL", "API", "Webhook", "IP"}
# What labels a page (not the data on it): column headings (data cells are th.field-…), form and read-only
# labels, fieldset and inline headings, filter titles, the index's sections and models, actions, help texts.
LABELS = [
    r'<th(?![^>]*class="field-)[^>]*>(.*?)</th>',
    r"<label[^>]*>(.*?)</label>",
    r'<h2 class="(?:fieldset-heading|inline-heading)"[^>]*>(.*?)</h2>',
    r"<h3[^>]*>(.*?)</h3>",
    r"<summary[^>]*>(.*?)</summary>",
    r"<caption[^>]*>(.*?)</caption>",
    r'<option value="[a-z_]+"[^>]*>(.*?)</option>',
    r'<div class="help"[^>]*>(.*?)</div>',
    r"<h1[^>]*>(.*?)</h1>",
]


def _english(page: str) -> set[str]:
    found = set()
    for pattern in LABELS:
        for raw in re.findall(pattern, page, re.DOTALL):
            text = html.unescape(re.sub(r"<[^>]+>", "", raw)).strip().rstrip(":：")
            if text and not CHINESE.search(text) and text not in UNCHANGED and not re.fullmatch(r"[\d\s:./—-]*", text):
                found.add(text)
    return found


@pytest.fixture
def every_kind_of_row(db, sysadmin):
    """The demo data, and a row of each model it leaves empty, so that every list shows its columns."""
    call_command("demo", verbosity=0)
    AccessAttempt.objects.create(
        username="zhangsan",
        ip_address="10.0.0.8",
        user_agent="Mozilla",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    AccessLog.objects.create(username="zhangsan", ip_address="10.0.0.8", user_agent="Mozilla", path_info="/")
    AccessFailureLog.objects.create(
        username="zhangsan", ip_address="10.0.0.8", user_agent="Mozilla", path_info="/", locked_out=True
    )
    endpoint = Endpoint.objects.create(channel="wecom", name="会务组", url="https://qyapi.example/send")
    notification = Notification.objects.create(
        recipient=sysadmin, kind="meeting_reminder", event="notice", title="提醒"
    )
    delivery = Delivery.objects.create(
        notification=notification, channel="wecom", endpoint=endpoint, event_key="test:1", state="failed"
    )
    delivery_enqueue(delivery)
    assert DBTaskResult.objects.exists()


def _pages() -> list[str]:
    pages = ["/admin/"]
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        pages += [reverse("admin:app_list", args=[app]), reverse(f"admin:{app}_{name}_changelist")]
        pages.append(reverse(f"admin:{app}_{name}_add"))
        first = model._default_manager.first()
        if first is not None:
            pages.append(reverse(f"admin:{app}_{name}_change", args=[first.pk]))
    return pages


def test_it_shows_the_whole_administration_in_chinese(client, django_user_model, every_kind_of_row):
    # A superuser sees every model (the admin role sees fewer; what it sees is a part of this).
    root = django_user_model.objects.create(username="root", is_staff=True, is_superuser=True)
    login_as(client, root)
    english = {}
    for path in _pages():
        response = client.get(path)
        assert response.status_code in (200, 302, 403), path
        if response.status_code == 200:
            english[path] = _english(response.content.decode())
    assert {path: texts for path, texts in english.items() if texts} == {}


def test_it_names_the_third_party_sections_and_rows_in_chinese(client, django_user_model, every_kind_of_row):
    root = django_user_model.objects.create(username="root", is_staff=True, is_superuser=True)
    login_as(client, root)
    index = client.get("/admin/").content.decode()
    for name in ("登录锁定", "登录尝试", "登录记录", "登录失败", "后台任务", "任务结果"):
        assert name in index
    attempt = client.get(f"/admin/axes/accessattempt/{AccessAttempt.objects.get().pk}/change/").content.decode()
    assert "zhangsan（10.0.0.8，" in attempt
    assert "Attempted Access" not in attempt
    result = DBTaskResult.objects.get()
    task = client.get(f"/admin/django_tasks_database/dbtaskresult/{result.pk}/change/").content.decode()
    assert "（就绪）" in task
    assert "DBTaskResult object" not in task
    groups = client.get("/admin/auth/group/").content.decode()
    assert "会务服务员" in groups


def test_it_shows_the_admin_role_its_part_of_the_administration_in_chinese(client, sysadmin, every_kind_of_row):
    sysadmin.refresh_from_db()  # the demo data signs the administrator up anew
    login_as(client, sysadmin)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert _english(index.content.decode()) == set()
