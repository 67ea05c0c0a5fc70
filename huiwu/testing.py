"""Pytest plugin shared by every test (loaded with `-p huiwu.testing`): fixed personas and helpers.

Each persona is a user named by its role code holding just that role, plus `outsider`, who has none.
"""

import pytest

PERSONA_PASSWORD = "persona-password-1"


@pytest.fixture
def make_persona(db):
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert
    from huiwu.directory.models import Organization

    def make(code: str):
        roles = [] if code == "outsider" else [Role(code)]
        organization = None
        if code == "client":
            organization, _created = Organization.objects.get_or_create(name="测试委办局")
        return user_upsert(
            username=code,
            password=PERSONA_PASSWORD,
            display_name=f"{code} 测试",
            roles=roles,
            organization=organization,
        )

    return make


def _persona_fixture(code: str, name: str | None = None):
    @pytest.fixture(name=name or code)
    def persona(make_persona):
        return make_persona(code)

    return persona


manager = _persona_fixture("manager")
team_leader = _persona_fixture("team_leader")
env_supervisor = _persona_fixture("env_supervisor")
hotline = _persona_fixture("hotline")
attendant = _persona_fixture("attendant")
reception = _persona_fixture("reception")
security_officer = _persona_fixture("security_officer")
# Not "client" and "admin_user": pytest-django already uses those names.
client_contact = _persona_fixture("client", "client_contact")
sysadmin = _persona_fixture("admin", "sysadmin")
outsider = _persona_fixture("outsider")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are about hashing switch it back on.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    # The manifest exists only after collectstatic; tests find static files where they lie.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def login_as(client, user) -> None:
    """Sign a test client in without the login form (django-axes needs a request for the form)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
