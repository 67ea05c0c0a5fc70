from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from huiwu.lib.versions import row_version_triggers_ensure


class CoreConfig(AppConfig):
    name = "huiwu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # After every app's migrations (and the test suite's flushes): a rebuilt table gets its trigger back.
        post_migrate.connect(row_version_triggers_ensure, dispatch_uid="huiwu.lib.row_version_triggers")
