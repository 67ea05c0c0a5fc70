"""Reads of the reviewed-documents register."""

from datetime import date


def documents_outstanding(day: date) -> list[str]:
    """What keeps the day's documents item open: the documents due by that day's handover time and not handed
    over yet, one line each (e.g. "京政办发〔2026〕12号 关于…的通知"). Empty: nothing left to hand over."""
    return []
