from huiwu.feedback.models import Complaint, FollowUp, RootCause
from huiwu.feedback.selectors import complaint_counts_by_cause, follow_ups_filtered
from huiwu.feedback.services import complaint_close, follow_up_close, follow_up_open
from huiwu.testing import at

from .conftest import STEP_NOTES


def test_it_counts_closed_complaints_by_cause_in_a_period_in_one_query(
    hotline, receive, walk, frozen_now, django_assert_num_queries
):
    causes = {cause.name: cause for cause in RootCause.objects.all()}
    for summary, cause in (("水果不足", "沟通不及时"), ("话筒无声", "设备故障"), ("材料不足", "沟通不及时")):
        complaint = walk(receive(summary=summary), *STEP_NOTES)
        complaint_close(user=hotline, complaint=complaint, root_cause=causes[cause], lesson="教训")
    receive(summary="还开着的投诉")
    with django_assert_num_queries(1):
        counted = complaint_counts_by_cause(Complaint.objects.all())
    assert counted == [("沟通不及时", 2), ("设备故障", 1)]
    assert complaint_counts_by_cause(Complaint.objects.all(), since=at("2026-11-26 08:01")) == []
    assert complaint_counts_by_cause(Complaint.objects.all(), until=at("2026-11-26 08:00")) == []
    assert complaint_counts_by_cause(Complaint.objects.all(), until=at("2026-11-26 08:01")) == counted


def test_it_lists_open_follow_ups_oldest_first_then_closed_ones(hotline, task, frozen_now):
    from datetime import timedelta

    first = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="第一", task=task)
    frozen_now.shift(timedelta(minutes=5))
    second = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="第二", task=task)
    third = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="第三", task=task)
    follow_up_close(user=hotline, follow_up=third, resolution="已说明")
    assert list(follow_ups_filtered(FollowUp.objects.all(), state="open")) == [first, second]
    assert list(follow_ups_filtered(FollowUp.objects.all(), state="closed")) == [third]
    # All: the open ones first (newest first), then the closed ones.
    assert list(follow_ups_filtered(FollowUp.objects.all(), state="all")) == [second, first, third]


def test_it_lists_follow_ups_in_a_fixed_number_of_queries(
    client, api, hotline, task, frozen_now, django_assert_max_num_queries
):
    from huiwu.testing import login_as

    follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="第一", task=task)
    login_as(client, hotline)
    client.get("/feedback/follow-ups/")
    api(hotline, "get", "/follow-ups")
    with django_assert_max_num_queries(12) as page:
        client.get("/feedback/follow-ups/")
    with django_assert_max_num_queries(10) as listed:
        api(hotline, "get", "/follow-ups")
    for number in range(5):
        follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary=f"更多 {number}", task=task)
    with django_assert_max_num_queries(len(page.captured_queries)):
        client.get("/feedback/follow-ups/")
    with django_assert_max_num_queries(len(listed.captured_queries)):
        assert api(hotline, "get", "/follow-ups").json()["count"] == 6
