"""Which characters a text may hold, for forms and the API alike.

Control characters (NUL and the like) break exports and other systems that read our data, and the
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) make a title read differently from what it
stores ("Trojan Source"). Tab, line feed and carriage return are ordinary parts of multi-line notes.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

UNSAFE_CHARACTERS_MESSAGE = _("Remove the control or text-direction characters; they cannot be stored.")


def has_unsafe_characters(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def refuse_unsafe_characters(text: str) -> None:
    """A validator for form fields: the same rule as the API's text fields."""
    if has_unsafe_characters(text):
        raise ValidationError(UNSAFE_CHARACTERS_MESSAGE, code="unsafe_characters")
