from django.urls import path

from sharing.views import (
    catalog,
    downloads,
    favourites,
    invitations,
    owner,
    registration,
    reminders,
    visitor,
)

app_name = "sharing"

urlpatterns = [
    # The client pages' script strings, by language (sharing/views/catalog.py).
    path("s/i18n/<str:language>.js", catalog.js_catalog, name="js_catalog"),
    # The photographer's side: links and the lists their visitors sent.
    path("galleries/<uuid:pk>/links/", owner.link_list, name="links"),
    path("galleries/<uuid:pk>/links/new/", owner.link_create, name="link_create"),
    path("links/<uuid:pk>/", owner.link_detail, name="link_detail"),
    path("links/<uuid:pk>/edit/", owner.link_edit, name="link_edit"),
    path("links/<uuid:pk>/toggle/", owner.link_toggle, name="link_toggle"),
    path("links/<uuid:pk>/delete/", owner.link_delete, name="link_delete"),
    path("links/<uuid:pk>/qr.svg", owner.link_qr, name="link_qr"),
    path("links/<uuid:pk>/invite/", invitations.invite, name="link_invite"),
    path("links/<uuid:pk>/activity.csv", invitations.activity_csv, name="activity_csv"),
    path(
        "links/<uuid:pk>/reminder/",
        reminders.reminder_preview,
        name="link_reminder_preview",
    ),
    path(
        "recipients/<uuid:pk>/resend/",
        invitations.recipient_resend,
        name="recipient_resend",
    ),
    path(
        "recipients/<uuid:pk>/revoke/",
        invitations.recipient_revoke,
        name="recipient_revoke",
    ),
    path("unsubscribe/<str:token>/", registration.unsubscribe, name="unsubscribe"),
    path("lists/<uuid:pk>/", owner.list_detail, name="list_detail"),
    path("lists/<uuid:pk>/reopen/", owner.list_reopen, name="list_reopen"),
    path("lists/<uuid:pk>/delete/", owner.list_delete, name="list_delete"),
    path("lists/<uuid:pk>/export.csv", owner.list_csv, name="list_csv"),
    path("lists/<uuid:pk>/lightroom.txt", owner.list_lightroom, name="list_lightroom"),
    path("lists/<uuid:pk>/sidecars.zip", owner.list_xmp, name="list_xmp"),
    # The visitor's side: /s/<token>/ and below. No account needed.
    path("s/<str:token>/", visitor.gallery, name="gallery"),
    path("s/<str:token>/unlock/", visitor.unlock, name="unlock"),
    path("s/<str:token>/register/", registration.register, name="register"),
    path("s/<str:token>/photos/", visitor.gallery_photos, name="gallery_photos"),
    path("s/<str:token>/p/<uuid:photo>/", visitor.photo, name="photo"),
    path("s/<str:token>/p/<uuid:photo>/seen/", visitor.photo_seen, name="photo_seen"),
    path(
        "s/<str:token>/p/<uuid:photo>/download/",
        downloads.photo_download,
        name="photo_download",
    ),
    path("s/<str:token>/zip/", downloads.zip_download, name="zip"),
    path("s/<str:token>/favourites/", favourites.my_list, name="favourites"),
    path("s/<str:token>/favourites/start/", favourites.start, name="favourites_start"),
    path(
        "s/<str:token>/favourites/submit/",
        favourites.submit,
        name="favourites_submit",
    ),
    path(
        "s/<str:token>/favourites/<uuid:photo>/",
        favourites.toggle,
        name="favourite_toggle",
    ),
    path(
        "s/<str:token>/favourites/<uuid:photo>/note/",
        favourites.note,
        name="favourite_note",
    ),
    path("s/<str:token>/l/<str:list_token>/", favourites.resume, name="list_resume"),
]
