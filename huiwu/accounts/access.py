"""Fetch-and-authorize helpers for account objects: every page and API call goes through these."""

from django.http import Http404

from huiwu.accounts.models import ApiToken, User


def get_api_token_for_user(user: User, token_id: int) -> ApiToken:
    """A user sees only their own tokens; anybody else's is indistinguishable from a missing one."""
    try:
        return user.api_tokens.get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
