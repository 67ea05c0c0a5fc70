from huiwu.directory.models import Contact, Department, Organization, Person

CLIENT_ORGANIZATION = "市机关事务管理局"

# name: (short name, phone, address, departments, contacts as (name, title, department, phone, email))
DEMO_ORGANIZATIONS = {
    "市人民政府办公厅": (
        "市府办",
        "0571-87001000",
        "行政办事中心 8 楼",
        ["秘书一处", "秘书二处", "综合处", "会务处"],
        [
            ("何晓东", "会务处处长", "会务处", "0571-87001021", "hexiaodong@szfbgt.example"),
            ("徐静", "秘书一处科员", "秘书一处", "0571-87001035", ""),
        ],
    ),
    CLIENT_ORGANIZATION: (
        "机关事务局",
        "0571-87000000",
        "行政办事中心 5 楼",
        ["办公室", "行政处", "财务处", "物业管理处"],
        [
            ("周敏", "办公室副主任", "办公室", "0571-87000012", "zhoumin@jgswj.example"),
            ("吴磊", "物业管理处科长", "物业管理处", "0571-87000035", ""),
        ],
    ),
    "市发展和改革委员会": (
        "市发改委",
        "0571-87002000",
        "行政办事中心 9 楼",
        ["办公室", "综合处", "规划处"],
        [("郑凯", "办公室主任", "办公室", "0571-87002011", "zhengkai@fgw.example")],
    ),
    "市财政局": (
        "市财政局",
        "0571-87003000",
        "行政办事中心 10 楼",
        ["办公室", "综合处", "预算处"],
        [
            ("冯丽萍", "办公室科员", "办公室", "0571-87003016", ""),
            ("蒋涛", "综合处副处长", "综合处", "0571-87003028", "jiangtao@czj.example"),
        ],
    ),
}

# (name, title, kind, organization or None for a guest from elsewhere, precedence, tea, dietary notes)
DEMO_PEOPLE = [
    ("张建国", "市长", Person.Kind.LEADER, "市人民政府办公厅", 1, "龙井", "清淡"),
    ("李明华", "常务副市长", Person.Kind.LEADER, "市人民政府办公厅", 2, "普洱", "不吃辣"),
    ("王志强", "副市长", Person.Kind.LEADER, "市人民政府办公厅", 3, "菊花茶", "少油少盐"),
    ("马建军", "省财政厅副厅长", Person.Kind.GUEST, None, 4, "白开水", "回民，清真餐"),
    ("陈立新", "市政府秘书长、办公厅主任", Person.Kind.LEADER, "市人民政府办公厅", 5, "龙井", ""),
    ("何丽娟", "国家发展改革委调研组组长", Person.Kind.GUEST, None, 6, "龙井", "清淡"),
    ("刘卫东", "市发改委主任", Person.Kind.LEADER, "市发展和改革委员会", 10, "白开水", "清淡"),
    ("孙海涛", "市财政局局长", Person.Kind.LEADER, "市财政局", 10, "普洱", ""),
    ("周国庆", "市机关事务管理局局长", Person.Kind.LEADER, CLIENT_ORGANIZATION, 10, "龙井", "不吃辣"),
    ("赵红梅", "市发改委副主任", Person.Kind.LEADER, "市发展和改革委员会", 12, "菊花茶", "不吃辣"),
    ("钱文静", "市财政局副局长", Person.Kind.LEADER, "市财政局", 12, "龙井", "清淡"),
    ("吴晓峰", "市机关事务管理局副局长", Person.Kind.LEADER, CLIENT_ORGANIZATION, 12, "白开水", ""),
    ("郑思远", "市机关事务管理局办公室主任", Person.Kind.LEADER, CLIENT_ORGANIZATION, 20, "菊花茶", ""),
    ("黄志明", "市发改委综合处处长", Person.Kind.LEADER, "市发展和改革委员会", 20, "白开水", "不吃辣"),
    ("林芳", "市财政局预算处处长", Person.Kind.LEADER, "市财政局", 20, "普洱", "清淡"),
]

DEMO_HABITS = {
    "张建国": "会前十分钟到场；茶要淡，续水时不要打断讲话。",
    "李明华": "桌上备老花镜和铅笔；空调不低于 26 度。",
    "王志强": "习惯用自带保温杯，续水时续在保温杯里。",
    "马建军": "主宾；用餐安排清真餐具，茶歇不摆放含猪肉成分的点心。",
    "陈立新": "常有随行人员，会前确认是否需要加座。",
    "何丽娟": "调研座谈时需要摆放桌签和会议材料两份。",
    "刘卫东": "只喝温开水，杯子放在右手边。",
    "孙海涛": "会前需要打印材料两份；不喜欢会场摆放鲜花。",
    "周国庆": "每天 9 点前到办公室；报纸按《人民日报》《浙江日报》《杭州日报》顺序摆放。",
    "钱文静": "怕冷，会场空调请调高一些。",
    "吴晓峰": "午餐时间较晚，12:10 后到小餐厅。",
    "林芳": "会中常需要计算器和便笺纸。",
}


def demo_load() -> None:
    organizations = {}
    for name, (short_name, phone, address, departments, contacts) in DEMO_ORGANIZATIONS.items():
        organization, _created = Organization.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "phone": phone, "address": address}
        )
        organizations[name] = organization
        by_name = {
            department: Department.objects.get_or_create(organization=organization, name=department)[0]
            for department in departments
        }
        for contact_name, title, department, contact_phone, email in contacts:
            Contact.objects.update_or_create(
                organization=organization,
                name=contact_name,
                defaults={"title": title, "department": by_name[department], "phone": contact_phone, "email": email},
            )
    for name, title, kind, organization, precedence, tea, dietary_notes in DEMO_PEOPLE:
        Person.objects.update_or_create(
            name=name,
            organization=organizations[organization] if organization else None,
            defaults={
                "title": title,
                "kind": kind,
                "precedence": precedence,
                "tea_preference": tea,
                "dietary_notes": dietary_notes,
                "habits": DEMO_HABITS.get(name, ""),
                "is_active": True,
            },
        )
