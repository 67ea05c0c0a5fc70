from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LostFoundConfig(AppConfig):
    name = "huiwu.lostfound"
    label = "lostfound"
    verbose_name = _("Lost and found")
