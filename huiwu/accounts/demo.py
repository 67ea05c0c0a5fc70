from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.directory.demo import CLIENT_ORGANIZATION
from huiwu.directory.models import Contact, Organization

DEMO_PASSWORD = "huiwu-demo"  # noqa: S105 -- published demo password, printed by `huiwu demo`

# One account per role, named by its role code, so that anyone can try each point of view.
DEMO_PEOPLE = {
    Role.MANAGER: ("王建华", "13800000001"),
    Role.TEAM_LEADER: ("李娜", "13800000002"),
    Role.ENV_SUPERVISOR: ("张伟", "13800000003"),
    Role.HOTLINE: ("刘芳", "13800000004"),
    Role.ATTENDANT: ("陈静", "13800000005"),
    Role.RECEPTION: ("杨丽", "13800000006"),
    Role.SECURITY_OFFICER: ("赵强", "13800000007"),
    Role.CLIENT: ("周敏", "13800000008"),
    Role.ADMIN: ("孙涛", "13800000009"),
}


def demo_load() -> None:
    client_organization = Organization.objects.get(name=CLIENT_ORGANIZATION)
    for role, (display_name, phone) in DEMO_PEOPLE.items():
        user = user_upsert(
            username=role.value,
            password=DEMO_PASSWORD,
            display_name=display_name,
            phone=phone,
            roles=[role],
            organization=client_organization if role == Role.CLIENT else None,
        )
        if role == Role.CLIENT:
            # The client account is the directory's contact of that name: their meetings remind them.
            Contact.objects.filter(organization=client_organization, name=display_name).update(user=user)
