from django.http import HttpRequest
from ninja import Router, Schema

from huiwu.lib.api import errors_answered

router = Router(tags=["accounts"])


class RoleOut(Schema):
    code: str
    label: str


class OrganizationOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str
    email: str
    roles: list[RoleOut]
    organization: OrganizationOut | None


@router.get("/me", response={200: MeOut, **errors_answered()}, summary="The signed-in user and their roles")
def me(request: HttpRequest):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "email": user.email,
        "roles": [{"code": role.value, "label": str(role.label)} for role in user.roles],
        "organization": user.organization,
    }
