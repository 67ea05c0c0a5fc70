from django.http import HttpRequest

from huiwu.core.navigation import nav_items_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"nav_items": nav_items_for(user), "nav_current": current}
