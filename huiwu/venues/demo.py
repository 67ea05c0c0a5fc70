from huiwu.venues.models import Site

# The two buildings of the requirement document (行政办事中心及会议大厦).
SITES = [
    ("admin-center", "行政办事中心", "市民中心路 1 号"),
    ("conference-tower", "会议大厦", "市民中心路 3 号"),
]


def demo_load() -> None:
    for code, name, address in SITES:
        Site.objects.update_or_create(code=code, defaults={"name": name, "address": address})
