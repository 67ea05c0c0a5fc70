"""The site language: what everyone reads alike, whoever caused it and in whatever language they browse.

Notifications, reminders, the audit log, the meeting history, calendar feeds and the messages robots and
mail carry have no reader's session to take a language from (or many readers at once), so they are written
in settings.LANGUAGE_CODE, like a paper log.
"""

from django.conf import settings
from django.utils import translation


def site_language() -> translation.override:
    """`with site_language(): ...` translates in the site language inside the block."""
    return translation.override(settings.LANGUAGE_CODE)
