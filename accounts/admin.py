from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.template.defaultfilters import filesizeformat

from accounts.models import User
from accounts.services import user_remove


class AdminUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    ordering = ("email",)
    list_display = (
        "email",
        "display_name",
        "studio_name",
        "usage",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "date_joined")
    search_fields = ("email", "display_name", "studio_name")
    readonly_fields = ("storage_used", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "studio_name")}),
        ("Storage", {"fields": ("storage_quota", "storage_used")}),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )

    # Deletes go through the service, so the photographer's files leave storage too.
    def delete_model(self, request, user: User) -> None:
        user_remove(user=user)

    def delete_queryset(self, request, users) -> None:
        for user in users:
            self.delete_model(request, user)

    @admin.display(description="Storage used", ordering="storage_used")
    def usage(self, user: User) -> str:
        return (
            f"{filesizeformat(user.storage_used)} of {filesizeformat(user.storage_quota)}"
            f" ({user.storage_used_percent:.0f}%)"
        )
