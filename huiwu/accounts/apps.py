from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(using: str, **kwargs) -> None:
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from huiwu.accounts.services import roles_sync

    # post_migrate runs app by app; make sure every app's permissions exist before granting them.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync()


class AccountsConfig(AppConfig):
    name = "huiwu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Permissions only exist once every app has migrated, so the role groups follow post_migrate.
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="huiwu.accounts.roles_sync")
