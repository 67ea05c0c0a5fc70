"""The team over JSON: its status (who is in, who went where with their number — the seed's 留言条), the
grooming self-check, and the whereabouts note left and taken down. The same rules as the pages."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import StrictBool

from huiwu.lib.api import Date, DateTime, InputSchema, UserRefOut, answers_validation_errors, errors_answered
from huiwu.reception.access import require_worker
from huiwu.reception.models import Whereabouts
from huiwu.reception.selectors.team import MemberStatus, team_status
from huiwu.reception.services.team import grooming_check_record, whereabouts_back, whereabouts_leave

router = Router(tags=["reception"])


# --- output -------------------------------------------------------------------------------------------


class WhereaboutsOut(Schema):
    id: int
    user: UserRefOut
    where: str
    phone: str
    left_at: DateTime
    back_at: DateTime | None


class MemberOut(Schema):
    user: UserRefOut
    presence: str = Field(
        description="in (self-checked today, no note up), out (a note says where) or not_in_yet (neither)"
    )
    checked_at: DateTime | None = Field(description="Today's grooming self-check")
    note: WhereaboutsOut | None = Field(description="The note up while out: where, since when, the mobile number")

    @staticmethod
    def resolve_note(member: MemberStatus):
        return member.note


class TeamStatusOut(Schema):
    day: Date
    nobody_in: bool = Field(description="Nobody of the team at their desk: show the notes and numbers to visitors")
    members: list[MemberOut]


class GroomingOut(Schema):
    id: int
    user: UserRefOut
    day: Date
    checked_at: DateTime
    uniform: bool
    scarf_and_badge: bool
    light_make_up: bool
    no_jewellery: bool


# --- input --------------------------------------------------------------------------------------------


class GroomingIn(InputSchema):
    """Each item true once it holds; an item that does not is put right first (false is refused)."""

    uniform: StrictBool = Field(description="着工装: in uniform")
    scarf_and_badge: StrictBool = Field(description="配戴丝巾、工牌: scarf and badge on")
    light_make_up: StrictBool = Field(description="面部干净、化淡妆: face clean, light make-up")
    no_jewellery: StrictBool = Field(
        description="耳部和手部不戴饰品（手表除外）: no jewellery on ears or hands, a watch aside"
    )


class LeaveIn(InputSchema):
    where: str = Field(max_length=Whereabouts._meta.get_field("where").max_length, description="e.g. 4楼 401会议室")
    phone: str | None = Field(
        None,
        max_length=Whereabouts._meta.get_field("phone").max_length,
        description="The mobile number; omitted: the caller's account's phone",
    )


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/reception/team",
    response={200: TeamStatusOut, **errors_answered()},
    summary="The team's status: each member in the office, or gone where since when with their mobile number",
)
def team_get(request: HttpRequest):
    return team_status(request.user)


@router.post(
    "/reception/grooming",
    response={201: GroomingOut, **errors_answered(400, 422)},
    summary="Record the caller's grooming self-check of today (all four items hold; once a day)",
)
@answers_validation_errors()
def grooming_post(request: HttpRequest, payload: GroomingIn):
    return Reply(201, grooming_check_record(user=request.user, **payload.model_dump()))


@router.post(
    "/reception/whereabouts",
    response={201: WhereaboutsOut, **errors_answered(400, 422)},
    summary="Leave the office: where to and the mobile number, shown on the team's status until back",
)
@answers_validation_errors()
def whereabouts_post(request: HttpRequest, payload: LeaveIn):
    require_worker(request.user)
    phone = request.user.phone if payload.phone is None else payload.phone
    return Reply(201, whereabouts_leave(user=request.user, where=payload.where, phone=phone))


@router.post(
    "/reception/whereabouts/back",
    response={200: WhereaboutsOut, **errors_answered(422)},
    summary="Back in the office: the caller's note comes down",
)
@answers_validation_errors()
def whereabouts_back_post(request: HttpRequest):
    return whereabouts_back(user=request.user)
