class ReadOnlyAdminMixin:
    """For rows that change only through their services (which apply the rules): shown, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ObjectTitleAdminMixin:
    """For a third-party model whose str() is English only (django-axes, django-tasks): the heading, title and
    breadcrumb of its change page are `object_title`, in the site language."""

    change_form_template = "admin/change_form_titled.html"

    def object_title(self, obj) -> str:
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = self.object_title(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
