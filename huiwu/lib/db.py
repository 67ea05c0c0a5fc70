"""Small database helpers shared by the services."""

from django.db import models


def lock_row(model: type[models.Model], pk: int) -> None:
    """SELECT … FOR UPDATE of one row, inside the caller's transaction: writes that lock the same row run
    one after the other. Only that row is locked (no ordering join drags other tables' rows in); on SQLite the
    IMMEDIATE transaction already serializes every write."""
    list(model.objects.select_for_update(of=("self",)).filter(pk=pk).order_by().values_list("pk", flat=True))
