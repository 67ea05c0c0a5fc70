"""Confidentiality levels of meetings and clearances: 0 is ordinary, 1 and up are confidential."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# 普通 / 内部 / 涉密 (CONFIDENTIALITY_LEVEL_NAMES replaces them, e.g. "普通,内部,秘密,机密").
DEFAULT_LEVEL_NAMES = [_("Ordinary"), _("Internal"), _("Classified")]


def level_names() -> list:
    return settings.CONFIDENTIALITY_LEVEL_NAMES or DEFAULT_LEVEL_NAMES


def level_choices() -> list[tuple[int, str]]:
    return list(enumerate(level_names()))


def level_label(level: int) -> str:
    names = level_names()
    return str(names[min(level, len(names) - 1)])


def highest_level() -> int:
    return len(level_names()) - 1
