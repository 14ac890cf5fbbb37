"""Share links, favourites lists and daily counts for the site's staff.

Photographers make their links on their own pages; here staff look things up and fix
them. Changes go through sharing/services.py like everywhere else, and a link's
password hash is never shown.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from galleries import pictures
from sharing import analytics, services
from sharing.models import Favourite, FavouriteList, LinkDay, ShareLink


class LinkStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("active", "Active"),
            ("expired", "Expired"),
            ("disabled", "Disabled"),
            ("password", "Password-protected"),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        live = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        match self.value():
            case "active":
                return queryset.filter(live, is_active=True)
            case "expired":
                return queryset.filter(is_active=True, expires_at__lte=now)
            case "disabled":
                return queryset.filter(is_active=False)
            case "password":
                return queryset.exclude(password="")
        return queryset


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["label", "gallery", "owner", "status", "password_set", "created_at"]
    list_filter = [LinkStatusFilter, "downloads", "favourites_enabled", "created_at"]
    search_fields = ["label", "gallery__title", "gallery__owner__email"]
    list_select_related = ["gallery__owner"]
    date_hierarchy = "created_at"
    filter_horizontal = ["sets"]
    raw_id_fields = ["gallery"]
    readonly_fields = [
        "gallery",
        "token",
        "password_set",
        "last_visited_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["gallery", "label", "token", "is_active", "expires_at"]}),
        ("Access", {"fields": ["password_set"]}),
        ("What visitors see", {"fields": ["sets", "downloads", "welcome_message"]}),
        (
            "Favourites",
            {
                "fields": [
                    "favourites_enabled",
                    "favourites_limit",
                    "favourites_require_email",
                ]
            },
        ),
        ("Activity", {"fields": ["last_visited_at", "created_at", "updated_at"]}),
    ]
    actions = ["disable_links", "enable_links", "remove_passwords"]

    @admin.display(description="Owner", ordering="gallery__owner__email")
    def owner(self, link: ShareLink) -> str:
        return link.gallery.owner.email

    @admin.display(description="Status")
    def status(self, link: ShareLink) -> str:
        return link.status.capitalize()

    @admin.display(description="Password", boolean=True)
    def password_set(self, link: ShareLink) -> bool:
        return link.has_password

    def has_add_permission(self, request) -> bool:
        # Links are made by photographers on their gallery's page.
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sets":
            # Only the link's own gallery's sets can be chosen.
            link_id = request.resolver_match.kwargs.get("object_id")
            link = ShareLink.objects.filter(pk=link_id).first() if link_id else None
            if link is not None:
                kwargs["queryset"] = link.gallery.sets.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, link: ShareLink, form, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.LINK_FIELDS
        }
        services.link_update(link=link, **fields)

    def save_related(self, request, form, formsets, change: bool) -> None:
        if "sets" in form.changed_data:
            services.link_update(link=form.instance, sets=form.cleaned_data["sets"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, link: ShareLink) -> None:
        services.link_delete(link=link)

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        for link in queryset:
            services.link_delete(link=link)

    @admin.action(description="Disable the selected links")
    def disable_links(self, request, queryset: QuerySet) -> None:
        for link in queryset.select_related("gallery"):
            services.link_update(link=link, is_active=False)
        self.message_user(request, "Links disabled.", messages.SUCCESS)

    @admin.action(description="Enable the selected links")
    def enable_links(self, request, queryset: QuerySet) -> None:
        for link in queryset.select_related("gallery"):
            services.link_update(link=link, is_active=True)
        self.message_user(request, "Links enabled.", messages.SUCCESS)

    @admin.action(description="Remove the password of the selected links")
    def remove_passwords(self, request, queryset: QuerySet) -> None:
        for link in queryset.select_related("gallery"):
            services.link_update(link=link, password="")
        self.message_user(
            request, "Passwords removed: the links open without one.", messages.SUCCESS
        )


class FavouriteInline(admin.TabularInline):
    model = Favourite
    extra = 0
    can_delete = False
    fields = ["thumbnail", "filename", "note", "created_at"]
    readonly_fields = fields

    @admin.display(description="Photo")
    def thumbnail(self, item: Favourite) -> str:
        return pictures.thumbnail(item.photo)

    @admin.display(description="File name")
    def filename(self, item: Favourite) -> str:
        return item.photo.original_filename

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")


class SubmittedFilter(admin.SimpleListFilter):
    title = "sent"
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("yes", "Sent"), ("no", "Still choosing")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(submitted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(submitted_at__isnull=True)
        return queryset


@admin.register(FavouriteList)
class FavouriteListAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "link", "gallery", "photos", "sent", "created_at"]
    list_filter = [SubmittedFilter, "created_at"]
    search_fields = ["name", "email", "link__label", "link__gallery__title"]
    list_select_related = ["link__gallery"]
    date_hierarchy = "created_at"
    # The list's token is the visitor's private key to it: not shown.
    fields = ["link", "name", "email", "submitted_at", "created_at", "updated_at"]
    readonly_fields = ["link", "submitted_at", "created_at", "updated_at"]
    inlines = [FavouriteInline]
    actions = ["reopen_lists"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_total=Count("items"))

    @admin.display(description="Gallery", ordering="link__gallery__title")
    def gallery(self, favourite_list: FavouriteList) -> str:
        return favourite_list.link.gallery.title

    @admin.display(description="Photos", ordering="photo_total")
    def photos(self, favourite_list: FavouriteList) -> int:
        return favourite_list.photo_total

    @admin.display(description="Sent", boolean=True, ordering="submitted_at")
    def sent(self, favourite_list: FavouriteList) -> bool:
        return favourite_list.is_submitted

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, favourite_list: FavouriteList) -> None:
        services.list_delete(favourite_list=favourite_list)

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        for favourite_list in queryset:
            services.list_delete(favourite_list=favourite_list)

    @admin.action(description="Reopen the selected lists")
    def reopen_lists(self, request, queryset: QuerySet) -> None:
        for favourite_list in queryset.filter(submitted_at__isnull=False):
            services.list_reopen(favourite_list=favourite_list)
        self.message_user(
            request, "Lists reopened: their visitors can change them.", messages.SUCCESS
        )


@admin.register(LinkDay)
class LinkDayAdmin(admin.ModelAdmin):
    """The daily counts, to read: they are only ever written by sharing/analytics.py."""

    list_display = [
        "day",
        "link",
        "gallery",
        *analytics.COUNTERS,
    ]
    list_filter = ["day"]
    search_fields = [
        "link__label",
        "link__gallery__title",
        "link__gallery__owner__email",
    ]
    list_select_related = ["link__gallery"]
    date_hierarchy = "day"
    ordering = ["-day"]

    @admin.display(description="Gallery", ordering="link__gallery__title")
    def gallery(self, day: LinkDay) -> str:
        return day.link.gallery.title

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
