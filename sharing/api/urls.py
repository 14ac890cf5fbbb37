from django.urls import path
from rest_framework.routers import SimpleRouter

from sharing.api import invitations, owner, visitor

UUID = "[0-9a-fA-F-]{36}"

for viewset in (owner.LinkViewSet, owner.FavouriteListViewSet):
    # A malformed id is simply not found, like someone else's.
    viewset.lookup_value_regex = UUID

# The photographer's side.
router = SimpleRouter()
router.register(
    rf"galleries/(?P<gallery_pk>{UUID})/links",
    owner.GalleryLinkViewSet,
    basename="gallery-link",
)
router.register("links", owner.LinkViewSet, basename="link")
router.register(
    rf"galleries/(?P<gallery_pk>{UUID})/favourite-lists",
    owner.GalleryFavouriteListViewSet,
    basename="gallery-favourite-list",
)
router.register(
    "favourite-lists", owner.FavouriteListViewSet, basename="favourite-list"
)

# The visitor's side: no account, the link's token in every URL.
LIST = "share/<str:token>/favourite-lists/<str:list_token>/"
urlpatterns = [
    *router.urls,
    path(
        "invitation-template/",
        invitations.InvitationTemplateView.as_view(),
        name="invitation-template",
    ),
    path(
        "links/<uuid:pk>/recipients/",
        invitations.LinkRecipientsView.as_view(),
        name="link-recipients",
    ),
    path(
        "links/<uuid:pk>/activity.csv",
        invitations.LinkActivityCSVView.as_view(),
        name="link-activity-csv",
    ),
    path(
        "links/<uuid:pk>/reminder-preview/",
        invitations.LinkReminderPreviewView.as_view(),
        name="link-reminder-preview",
    ),
    path(
        "recipients/<uuid:pk>/resend/",
        invitations.RecipientResendView.as_view(),
        name="recipient-resend",
    ),
    path(
        "recipients/<uuid:pk>/revoke/",
        invitations.RecipientRevokeView.as_view(),
        name="recipient-revoke",
    ),
    path("share/<str:token>/", visitor.VisitorGalleryView.as_view(), name="share"),
    path(
        "share/<str:token>/unlock/",
        visitor.UnlockView.as_view(),
        name="share-unlock",
    ),
    path(
        "share/<str:token>/register/",
        visitor.RegisterView.as_view(),
        name="share-register",
    ),
    path(
        "share/<str:token>/photos/",
        visitor.VisitorPhotoListView.as_view(),
        name="share-photo-list",
    ),
    path(
        "share/<str:token>/photos/<uuid:photo>/",
        visitor.VisitorPhotoView.as_view(),
        name="share-photo-detail",
    ),
    path(
        "share/<str:token>/favourite-lists/",
        visitor.ListStartView.as_view(),
        name="share-list-start",
    ),
    path(LIST, visitor.ListView.as_view(), name="share-list"),
    path(
        f"{LIST}items/<uuid:photo>/",
        visitor.HeartView.as_view(),
        name="share-list-item",
    ),
    path(f"{LIST}submit/", visitor.ListSubmitView.as_view(), name="share-list-submit"),
]
