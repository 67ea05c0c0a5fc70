from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker: delivers queued tasks until stopped (SIGTERM or Ctrl-C)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args, interval: float, batch: bool, **options) -> None:
        # django-tasks' database worker claims each task under a row lock, so several workers on
        # several machines never run one task twice; it stops gracefully on SIGTERM and SIGINT.
        call_command("db_worker", queue_name="*", interval=interval, batch=batch, reload=False)
