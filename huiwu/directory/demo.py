from huiwu.directory.models import Organization

CLIENT_ORGANIZATION = "市机关事务管理局"


def demo_load() -> None:
    Organization.objects.update_or_create(
        name=CLIENT_ORGANIZATION,
        defaults={"short_name": "机关事务局", "phone": "0571-87000000", "address": "行政办事中心 5 楼"},
    )
