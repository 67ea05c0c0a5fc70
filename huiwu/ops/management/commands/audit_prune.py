import getpass
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.ops.retention import audit_entries_prunable, audit_entries_prune, audit_prune_cutoff


def _operator() -> str:
    """The operating-system account that runs the command: there is no Huiwu user at a server's shell."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment and no passwd entry (a container's bare uid)
        return f"uid {os.getuid()}"


class Command(BaseCommand):
    help = (
        "Delete the audit entries older than the retention period (at least 180 days, 网络安全法 第二十一条). "
        "Counts only unless --yes is given; the pruning is itself recorded in the audit log."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=settings.AUDIT_RETENTION_DAYS,
            help="Delete the entries older than this many days, at least 180 (default: AUDIT_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count the entries that would go; delete none.")
        parser.add_argument("--yes", action="store_true", help="Really delete them.")

    def handle(self, *args, older_than_days: int, dry_run: bool, yes: bool, **options) -> None:
        now = timezone.now()
        try:
            cutoff = audit_prune_cutoff(older_than_days=older_than_days, now=now)
        except ValueError as error:
            raise CommandError(str(error)) from error
        shown = {"cutoff": f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"}
        if dry_run or not yes:
            count = audit_entries_prunable(cutoff=cutoff)
            self.stdout.write(_("%(count)d audit entries are older than %(cutoff)s.") % {"count": count, **shown})
            if not dry_run and count:
                self.stdout.write(_("Add --yes to delete them."))
            return
        deleted = audit_entries_prune(older_than_days=older_than_days, operator=_operator(), now=now)
        self.stdout.write(
            _("Deleted %(count)d audit entries older than %(cutoff)s; the pruning is recorded in the audit log.")
            % {"count": deleted, **shown}
        )
