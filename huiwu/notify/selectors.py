"""What the inbox shows: the same reads for its page, its bell and the API."""

from django.db.models import QuerySet

from huiwu.accounts.models import User
from huiwu.notify.models import Notification


def inbox_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first, each as it was written for them: one about a confidential
    meeting they were not to read about holds its busy block (room and time) as its title, and no body."""
    notifications = user.notifications.all()
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def unread_count(user: User) -> int:
    return inbox_of(user, unread_only=True).count()
