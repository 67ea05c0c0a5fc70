from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiwu.ops.backup import backup_open, backup_restore, backup_restore_check, upload_dirs


class Command(BaseCommand):
    help = gettext_lazy("Restore a backup into an empty database and empty upload directories, then verify it.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help=gettext_lazy("The archive `huiwu backup` wrote."))
        parser.add_argument("--yes", action="store_true", help=gettext_lazy("Restore without asking."))

    def handle(self, *args, archive: str, yes: bool, **options) -> None:
        backup = backup_open(archive=Path(archive))
        backup_restore_check(backup=backup)
        manifest = backup.manifest
        if not yes:
            self.stdout.write(
                _(
                    "This restores the backup of %(created_at)s (Huiwu %(version)s) into the database %(database)s "
                    "and the directories %(directories)s."
                )
                % {
                    "created_at": manifest["created_at"],
                    "version": manifest["huiwu_version"],
                    "database": connection.settings_dict["NAME"],
                    "directories": _(", ").join(str(path) for path in upload_dirs().values()),
                }
            )
            try:
                answer = input(_("Type yes to continue: "))
            except EOFError:
                answer = ""
            if answer.strip() != "yes":
                raise CommandError(_("Restore cancelled; nothing was changed."))
        restored = backup_restore(backup=backup)
        self.stdout.write(f"{_('Table'):<40} {_('Backup'):>10} {_('Restored'):>10}")
        for count in restored.counts:
            shown = _("missing") if count.restored is None else count.restored
            self.stdout.write(f"{count.table:<40} {count.expected:>10} {shown:>10}")
        differing = [count for count in restored.counts if count.restored != count.expected]
        if differing:
            raise CommandError(
                _("The restored database differs from the backup in %(count)s tables: %(tables)s.")
                % {"count": len(differing), "tables": _(", ").join(count.table for count in differing)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(rows)s rows in %(tables)s tables and %(files)s uploaded files; every row count "
                    "matches the backup's."
                )
                % {
                    "rows": sum(count.expected for count in restored.counts),
                    "tables": len(restored.counts),
                    "files": restored.files,
                }
            )
        )
