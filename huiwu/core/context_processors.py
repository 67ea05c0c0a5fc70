from django.http import HttpRequest

from huiwu.core.navigation import nav_items_for, tabs_for, user_menu_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    user_menu = user_menu_for(user)
    return {
        "nav_items": nav_items_for(user),
        "nav_current": current,
        "user_menu": user_menu,
        "tabs": tabs_for(user),
        # The "me" tab stands for the account's pages: it is highlighted on them.
        "user_menu_current": any(item["url_name"] == current for item in user_menu),
    }
