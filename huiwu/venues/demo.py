from huiwu.venues.models import Equipment, Floor, Room, Site

# The two buildings of the requirement document (行政办事中心及会议大厦).
SITES = [
    ("admin-center", "行政办事中心", "市民中心路 1 号"),
    ("conference-tower", "会议大厦", "市民中心路 3 号"),
]

EQUIPMENT = ["投影仪", "视频会议终端", "无线话筒", "LED 大屏", "同声传译"]

# site code, floor, level, room code, name, capacity, layouts, equipment
ROOMS = [
    (
        "conference-tower",
        "3F",
        3,
        "301",
        "301会议室",
        30,
        ["rostrum_classroom", "hollow_square"],
        ["投影仪", "无线话筒"],
    ),
    ("conference-tower", "4F", 4, "401", "401会议室", 20, ["hollow_square", "u_shape"], ["投影仪"]),
    ("conference-tower", "6F", 6, "601", "601会议室", 16, ["round_table", "boardroom"], ["视频会议终端"]),
    ("conference-tower", "7F", 7, "701", "701会议室", 24, ["boardroom", "hollow_square"], ["投影仪", "视频会议终端"]),
    ("conference-tower", "7F", 7, "702", "702接待室", 10, ["boardroom"], []),
    (
        "conference-tower",
        "1F",
        1,
        "hall",
        "多功能厅",
        200,
        ["rostrum_classroom", "theatre"],
        ["LED 大屏", "无线话筒", "同声传译"],
    ),
    ("admin-center", "5F", 5, "501", "501会议室", 12, ["boardroom"], ["投影仪"]),
]


def demo_load() -> None:
    sites = {}
    for code, name, address in SITES:
        sites[code], _created = Site.objects.update_or_create(code=code, defaults={"name": name, "address": address})
    equipment = {name: Equipment.objects.get_or_create(name=name)[0] for name in EQUIPMENT}
    for site_code, floor_name, level, code, name, capacity, layouts, kit in ROOMS:
        floor, _created = Floor.objects.update_or_create(
            site=sites[site_code], name=floor_name, defaults={"level": level}
        )
        room, _created = Room.objects.update_or_create(
            code=code, defaults={"floor": floor, "name": name, "capacity": capacity, "layouts": layouts}
        )
        room.equipment.set([equipment[item] for item in kit])
