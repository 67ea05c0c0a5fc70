from django.core.management import call_command

from huiwu.delegations.demo import demo_load as delegations_demo_load
from huiwu.feedback.demo import demo_load
from huiwu.feedback.models import Complaint


def test_it_loads_the_seed_s_case_and_the_procedure_at_each_step_twice_alike(db):
    # The rest of the demo first, the delegated fruit purchase among it, then this app's loader, twice.
    call_command("demo")
    delegations_demo_load()
    demo_load()
    demo_load()
    complaints = {complaint.summary: complaint for complaint in Complaint.objects.all()}
    assert len(complaints) == Complaint.objects.count() == 5
    seed = complaints["会场水果不足"]
    assert (seed.is_closed, seed.root_cause.name, seed.acceptance_note) == (
        True,
        "沟通不及时",
        "对因自身工作不到位而引起的误会向李小姐道歉，取得对方谅解",
    )
    # About a meeting already over, the call halfway through it.
    assert seed.meeting.end <= seed.closed_at
    assert seed.meeting.start < seed.received_at < seed.meeting.end
    assert seed.lesson == "客户委托事务，完成后应及时求得客户确认或知会客户，增加工作的透明度。"
    assert seed.apology_note == "向主持会议的李小姐表示歉意，承诺查清原因"
    assert seed.rectification_note == "安排会务服务员及时更新会场水果"
    just_received = complaints["会场空调温度过低"]
    assert (just_received.channel, just_received.apology_at) == ("portal", None)
    investigated = complaints["话筒中途无声"]
    assert (investigated.investigation_at is not None, investigated.report_at) == (True, None)
    corrected = complaints["会议材料份数不足"]
    assert (corrected.rectification_at is not None, corrected.acceptance_at, corrected.is_closed) == (True, None, False)
