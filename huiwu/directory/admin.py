from django.contrib import admin

from huiwu.directory.models import Contact, Department, Organization, Person


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "department", "phone", "email", "user"]
    raw_id_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the departments of the organization being edited make sense for its contacts.
        if db_field.name == "department":
            organization_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Department.objects.filter(organization_id=organization_id).select_related(
                "organization"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "phone"]
    search_fields = ["name", "short_name"]
    inlines = [DepartmentInline, ContactInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "kind", "organization", "precedence", "is_active"]
    list_filter = ["kind", "organization", "is_active"]
    search_fields = ["name", "name_pinyin", "name_initials", "title"]
    list_select_related = ["organization"]
    ordering = ["precedence", "name_pinyin"]
