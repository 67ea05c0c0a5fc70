from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiwu.ops.backup import backup_create


class Command(BaseCommand):
    help = gettext_lazy("Back up the database and the uploads into one archive file.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            default=".",
            help=gettext_lazy("The archive's file, or a directory for huiwu-backup-<time>.tar (default: here)."),
        )

    def handle(self, *args, output: str, **options) -> None:
        backup = backup_create(output=Path(output))
        counts = backup.manifest["row_counts"]
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written to %(path)s: %(size)s bytes, %(rows)s rows in %(tables)s tables (%(vendor)s).")
                % {
                    "path": backup.path,
                    "size": backup.path.stat().st_size,
                    "rows": sum(counts.values()),
                    "tables": len(counts),
                    "vendor": backup.manifest["vendor"],
                }
            )
        )
