from django.http import Http404

from huiwu.accounts.models import User
from huiwu.notify.models import Notification


def get_notification_for_user(user: User, notification_id: int) -> Notification:
    """Only the recipient sees a notification."""
    try:
        return user.notifications.get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None
