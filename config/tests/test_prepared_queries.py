"""A query compiled once gives, call after call, what its QuerySet would have given
for that call's values: the same objects, related objects and annotations, the same
page of a window, one query each. (CI runs these on SQLite and again on PostgreSQL.)"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from config.prepared_queries import Param, ParamList, PreparedQuery

pytestmark = pytest.mark.django_db

User = get_user_model()

USER_BY_EMAIL = PreparedQuery(lambda: User.objects.filter(email=Param("email")))
PERMISSIONS_OF_APP = PreparedQuery(
    lambda: (
        Permission.objects.filter(content_type__app_label=Param("app"))
        .select_related("content_type")
        .annotate(model_name=F("content_type__model"))
        .order_by("codename")
    )
)
PERMISSIONS_PAGE = PreparedQuery(
    lambda: Permission.objects.order_by("codename").values_list("codename"),
    windowed=True,
)
PERMISSIONS_BY_KEY = PreparedQuery(
    lambda n: Permission.objects.filter(
        pk__in=ParamList("keys", Permission._meta.pk, n)
    ).order_by("pk")
)
GROUPS_NAMED = PreparedQuery(
    lambda n: (
        Group.objects.filter(name__in=ParamList("names", length=n))
        .annotate(members=Count("user"))
        .order_by("name")
    )
)


def test_each_call_finds_what_its_own_values_ask_for():
    ada = User.objects.create_user("ada@example.com", password="x")
    bob = User.objects.create_user("bob@example.com", password="x")

    assert USER_BY_EMAIL.objects(email="ada@example.com") == [ada]
    assert USER_BY_EMAIL.objects(email="bob@example.com") == [bob]
    assert USER_BY_EMAIL.objects(email="nobody@example.com") == []


def test_the_objects_are_those_of_the_queryset_with_their_related_objects_and_annotations():
    expected = list(
        Permission.objects.filter(content_type__app_label="auth")
        .select_related("content_type")
        .order_by("codename")
    )

    found = PERMISSIONS_OF_APP.objects(app="auth")

    assert expected  # Django's own permissions on users, groups and permissions
    assert found == expected
    assert [p.codename for p in found] == [p.codename for p in expected]
    with CaptureQueriesContext(connection) as queries:
        models = [p.content_type.model for p in found]
    assert len(queries) == 0  # the content types came in the same query
    assert models == [p.content_type.model for p in expected]
    assert [p.model_name for p in found] == models
    assert not found[0]._state.adding
    assert found[0]._state.db == "default"


def test_a_window_gives_the_pages_that_slicing_the_queryset_would():
    everything = list(
        Permission.objects.order_by("codename").values_list("codename", flat=True)
    )

    first = PERMISSIONS_PAGE.rows(window=(0, 5))
    second = PERMISSIONS_PAGE.rows(window=(5, 5))
    past_the_end = PERMISSIONS_PAGE.rows(window=(len(everything), 5))

    assert [codename for (codename,) in first] == everything[:5]
    assert [codename for (codename,) in second] == everything[5:10]
    assert past_the_end == []


def test_a_list_of_fixed_length_is_bound_item_by_item_with_the_annotation():
    editors = Group.objects.create(name="editors")
    Group.objects.create(name="viewers")
    readers = Group.objects.create(name="readers")
    editors.user_set.add(
        User.objects.create_user("ada@example.com"),
        User.objects.create_user("bob@example.com"),
    )

    found = GROUPS_NAMED.objects(2, names=["readers", "editors"])
    other = GROUPS_NAMED.objects(1, names=["viewers"])

    assert found == [editors, readers]
    assert [g.members for g in found] == [2, 0]
    assert [g.name for g in other] == ["viewers"]


def test_a_list_of_keys_is_prepared_as_the_field_prepares_each_key():
    # A key field checks each value it is given: the list's items are bound as keys.
    wanted = list(Permission.objects.order_by("pk")[:3])

    found = PERMISSIONS_BY_KEY.objects(3, keys=[str(p.pk) for p in wanted])

    assert found == wanted


def test_every_call_is_one_query_seen_by_the_connection():
    User.objects.create_user("ada@example.com")
    USER_BY_EMAIL.objects(email="ada@example.com")  # compiled here, once

    with CaptureQueriesContext(connection) as queries:
        USER_BY_EMAIL.objects(email="ada@example.com")
        USER_BY_EMAIL.objects(email="bob@example.com")

    assert len(queries) == 2
    assert all(User._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_values_are_passed_as_parameters_never_written_into_the_sql():
    User.objects.create_user("ada@example.com")
    hostile = "ada@example.com' OR '1'='1"

    # Were it written into the SQL, the OR would find every user.
    assert USER_BY_EMAIL.objects(email=hostile) == []
    assert USER_BY_EMAIL.objects(email="ada@example.com") != []
