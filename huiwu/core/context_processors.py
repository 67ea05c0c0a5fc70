from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from huiwu.core.navigation import nav_items_for, tabs_for, user_menu_for


def navigation(request: HttpRequest) -> dict:
    """The menus, made only if the template shows them: a fragment polled by htmx shows none."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    user_menu = SimpleLazyObject(lambda: user_menu_for(user))
    return {
        "nav_items": SimpleLazyObject(lambda: nav_items_for(user)),
        "nav_current": current,
        "user_menu": user_menu,
        "tabs": SimpleLazyObject(lambda: tabs_for(user)),
        # The "me" tab stands for the account's pages: it is highlighted on them.
        "user_menu_current": SimpleLazyObject(lambda: any(item["url_name"] == current for item in user_menu)),
    }
