"""The seed's case (篇2) and the procedure at each of its steps, recorded through the services:

- a complaint just received through the portal (its apology due within the half hour);
- one apologised for and investigated (the facts not yet reported);
- one whose facts were reported and put right (waiting for the client's acceptance);
- the seed's own fruit complaint, closed with the client's understanding (谅解), root cause 沟通不及时 and its
  lesson, in the case library — linked to the demo's fruit purchase when the delegations demo made one;
- one more closed case, so that the library's search has something to tell apart.

Idempotent: a complaint of the same subject is left as it is.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.delegations.models import DelegatedTask
from huiwu.directory.demo import CLIENT_ORGANIZATION
from huiwu.directory.models import Contact, Organization
from huiwu.feedback.models import Complaint, RootCause
from huiwu.feedback.services import complaint_close, complaint_receive, complaint_step_record
from huiwu.meetings.models import Meeting

SEED_SUMMARY = "会场水果不足"
SEED_STATEMENT = (
    "会议召开当天下午，主持会议的李小姐来电，对今天的会务服务安排很不满意：公司花了很多钱，服务处却没能提供"
    "相应的服务，要求给个说法。经进一步了解，她指的是委托服务处代购的水果：会议进行一半时她到现场查看，发现水果"
    "不够多，所以很生气。"
)
SEED_STEPS = {
    "apology": "向主持会议的李小姐表示歉意，承诺查清原因",
    "investigation": "所采购的水果并不少；会前工作繁忙，未请会议职员确认；会议只要求休息时提供水果，为保持新鲜"
    "未在现场摆放太多",
    "report": "如实向李小姐反映：水果按委托数量采购，分批摆放以保持新鲜；会前未请她确认是我们的疏忽",
    "rectification": "安排会务服务员及时更新会场水果",
    "acceptance": "对因自身工作不到位而引起的误会向李小姐道歉，取得对方谅解",
}
SEED_CAUSE = "沟通不及时"
SEED_LESSON = "客户委托事务，完成后应及时求得客户确认或知会客户，增加工作的透明度。"

# subject, channel, statement, {step: note} recorded in order, (cause, lesson) when closed, hours ago received
OTHER_COMPLAINTS = [
    (
        "话筒中途无声",
        Complaint.Channel.ON_SITE,
        "会议进行到一半，主席台 2 号话筒没有声音，发言人只好换用手持话筒，会议中断约三分钟。",
        {
            "apology": "当场向会议主持人致歉，立即更换备用话筒",
            "investigation": "2 号话筒电池电量不足；会前设备检查只试了音，未检查电池电量",
        },
        None,
        5,
    ),
    (
        "会议材料份数不足",
        Complaint.Channel.HOTLINE,
        "会务处来电：会议资料按 30 份准备，实际到会 34 人，有 4 位领导没有拿到材料。",
        {
            "apology": "电话向会务处致歉，承诺当天查明原因",
            "investigation": "预订时登记的人数为 30 人，会前一天客户电话追加 4 人，热线未更新预订信息",
            "report": "向会务处如实说明：追加人数未录入系统，材料按旧人数准备",
            "rectification": "补印 4 份材料送到会场；追加人数一律在系统中修改预订，不再只记在工作笔记上",
        },
        None,
        50,
    ),
    (
        "领导茶水上错",
        Complaint.Channel.WECOM,
        "会后客户在企业微信群反映：省厅来宾只喝白开水，会上却给他上了龙井茶。",
        {
            "apology": "在群内及电话向客户致歉",
            "investigation": "来宾名单有更新，服务员按旧名单准备茶水，未核对来宾习惯",
            "report": "向客户说明原因及改进办法",
            "rectification": "服务前按最新名单核对每位领导、来宾的茶水习惯",
            "acceptance": "客户表示理解",
        },
        ("服务不到位", "服务前核对最新名单和每位来宾的习惯，不凭记忆上茶。"),
        120,
    ),
]


def _recorded(user: User, complaint: Complaint, steps: dict[str, str], start: datetime) -> None:
    """Record the steps in order, each a while after the one before, all in the past."""
    for index, (step, note) in enumerate(steps.items(), start=1):
        complaint_step_record(
            user=user, complaint=complaint, step=step, note=note, at=start + timedelta(minutes=20 * index)
        )


def _seed_meeting_and_task(now: datetime) -> tuple[Meeting | None, DelegatedTask | None]:
    """The meeting of the seed's complaint: the client organization's latest one over by the afternoon's
    handling (the call came halfway through it), with its fruit purchase if one was delegated for it. The
    delegations demo's fruit purchase awaiting the client is today's lesson applied, for a meeting still to come."""
    meeting = (
        Meeting.objects.filter(
            organizer__name=CLIENT_ORGANIZATION, confidentiality=0, end__lte=now - timedelta(hours=5)
        )
        .order_by("-start")
        .first()
    )
    if meeting is None:
        return None, None
    return meeting, DelegatedTask.objects.filter(meeting=meeting, title="代购水果").first()


def _seed_case(hotline: User, now: datetime) -> None:
    if Complaint.objects.filter(summary=SEED_SUMMARY).exists():
        return
    meeting, task = _seed_meeting_and_task(now)
    # Halfway through the meeting the host found the fruit short and called the hotline; the steps then take
    # the afternoon, so the call is at least five hours ago.
    received_at = now - timedelta(days=1)
    if meeting is not None:
        received_at = min(meeting.start + (meeting.end - meeting.start) / 2, now - timedelta(hours=5))
    organization = (task.organization if task else None) or (meeting.organizer if meeting else None)
    complaint = complaint_receive(
        user=hotline,
        channel=Complaint.Channel.HOTLINE,
        complainant_name="李小姐",
        complainant_phone="13900000021",
        organization=organization or Organization.objects.get(name=CLIENT_ORGANIZATION),
        meeting=meeting,
        task=task,
        summary=SEED_SUMMARY,
        statement=SEED_STATEMENT,
        received_at=received_at,
    )
    _recorded(hotline, complaint, SEED_STEPS, received_at)
    complaint_close(
        user=hotline,
        complaint=complaint,
        root_cause=RootCause.objects.get_or_create(name=SEED_CAUSE)[0],
        lesson=SEED_LESSON,
    )


def _portal_complaint(now: datetime) -> None:
    """Just received from the client portal: the hotline's apology is due within the half hour."""
    summary = "会场空调温度过低"
    if Complaint.objects.filter(summary=summary).exists():
        return
    client = User.objects.filter(username="client").first()
    if client is None or not Contact.objects.filter(user=client).exists():
        return
    meeting = Meeting.objects.filter(organizer_id=client.organization_id, start__lte=now).order_by("-start").first()
    complaint_receive(
        user=client,
        channel=Complaint.Channel.PORTAL,
        complainant_name="",
        meeting=meeting,
        summary=summary,
        statement="会场空调开得太低，几位年纪大的领导觉得冷，请派人调高温度。",
    )


def demo_load() -> None:
    now = timezone.now()
    hotline = User.objects.get(username="hotline")
    _seed_case(hotline, now)
    _portal_complaint(now)
    # The client organization's own meetings: its contact (the demo's client account) follows them in the portal.
    recent = Meeting.objects.filter(organizer__name=CLIENT_ORGANIZATION, start__lte=now, confidentiality=0).order_by(
        "-start"
    )
    contacts = {contact.organization_id: contact for contact in Contact.objects.order_by("-id")}
    for index, (summary, channel, statement, steps, closing, hours) in enumerate(OTHER_COMPLAINTS):
        if Complaint.objects.filter(summary=summary).exists():
            continue
        received_at = now - timedelta(hours=hours)
        meeting = recent.filter(start__lte=received_at).first()
        contact = contacts.get(meeting.organizer_id) if meeting else None
        complaint = complaint_receive(
            user=hotline,
            channel=channel,
            complainant_name=contact.name if contact else "何晓东",
            complainant_phone=contact.phone if contact else "",
            complainant_contact=contact,
            meeting=meeting,
            summary=summary,
            statement=statement,
            received_at=received_at,
        )
        _recorded(hotline, complaint, steps, received_at + timedelta(minutes=5 * index))
        if closing:
            cause, lesson = closing
            complaint_close(
                user=hotline,
                complaint=complaint,
                root_cause=RootCause.objects.get_or_create(name=cause)[0],
                lesson=lesson,
            )
