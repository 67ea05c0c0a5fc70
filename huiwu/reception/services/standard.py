"""The reception routine standard in force. The first version is made from the settings' defaults (seed
篇3 (二)) the first time it is needed; later versions are added on the standards page."""

from django.conf import settings

from huiwu.reception.models import RoutineStandard


def routine_standard_current() -> RoutineStandard:
    """The newest version (the one a day planned now uses), created from the settings when there is none."""
    standard = RoutineStandard.objects.order_by("-changed_at", "-id").first()
    if standard is not None:
        return standard
    return RoutineStandard.objects.create(
        door_open_from=settings.RECEPTION_DOOR_OPEN_FROM,
        door_open_by=settings.RECEPTION_DOOR_OPEN_BY,
        door_open_until=settings.RECEPTION_DOOR_OPEN_UNTIL,
        hot_water_by=settings.RECEPTION_HOT_WATER_BY,
        hot_water_pots=settings.RECEPTION_HOT_WATER_POTS,
        documents_by=settings.RECEPTION_DOCUMENTS_BY,
        newspapers_from=settings.RECEPTION_NEWSPAPERS_FROM,
        newspapers_until=settings.RECEPTION_NEWSPAPERS_UNTIL,
        lunch_at=settings.RECEPTION_LUNCH_AT,
        afternoon_duty_at=settings.RECEPTION_AFTERNOON_DUTY_AT,
        cleaning_from=settings.RECEPTION_CLEANING_FROM,
        work_ends_at=settings.RECEPTION_WORK_ENDS_AT,
        reminder_minutes=settings.RECEPTION_ROUTINE_REMINDER_MINUTES,
    )
