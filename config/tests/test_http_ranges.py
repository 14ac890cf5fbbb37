"""Range and conditional requests, decided as RFC 9110 says, on their own."""

import pytest
from django.test import RequestFactory

from config.http_ranges import evaluate, parse_range

ETAG = '"v1-abc"'
SIZE = 1000


def _answer(method="get", **headers):
    request = getattr(RequestFactory(), method)("/", headers=headers)
    return evaluate(request, etag=ETAG, size=SIZE)


def test_a_plain_request_gets_the_whole_representation_and_its_length():
    answer = _answer()

    assert (answer.status, answer.start, answer.stop) == (200, 0, SIZE)
    assert answer.headers == {"Content-Length": "1000"}


@pytest.mark.parametrize(
    ("header", "start", "stop"),
    [
        ("bytes=0-99", 0, 100),
        ("bytes=500-", 500, 1000),
        ("bytes=-10", 990, 1000),
        ("bytes=-5000", 0, 1000),
        ("bytes=990-5000", 990, 1000),
        ("bytes=999-999", 999, 1000),
        ("BYTES = 10 - 19", 10, 20),
    ],
)
def test_one_byte_range_is_sent_as_206_with_its_content_range(header, start, stop):
    answer = _answer(Range=header)

    assert (answer.status, answer.start, answer.stop) == (206, start, stop)
    assert answer.headers == {
        "Content-Length": str(stop - start),
        "Content-Range": f"bytes {start}-{stop - 1}/1000",
    }


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_beyond_the_end_is_416_naming_the_length(header):
    answer = _answer(Range=header)

    assert answer.status == 416
    assert answer.headers == {"Content-Range": "bytes */1000"}
    assert not answer.has_body


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-10,20-30",  # several ranges: answered whole, as RFC 9110 allows
        "items=0-10",
        "bytes=10-5",
        "bytes=-",
        "bytes=abc",
        "bytes=1-2-3",
    ],
)
def test_several_ranges_or_a_range_that_does_not_parse_get_the_whole_200(header):
    assert _answer(Range=header).status == 200


def test_if_range_with_the_current_tag_gets_the_range():
    assert _answer(Range="bytes=10-", If_Range=ETAG).status == 206


@pytest.mark.parametrize(
    "if_range", ['"v0-old"', f"W/{ETAG}", "Wed, 21 Oct 2015 07:28:00 GMT"]
)
def test_if_range_with_another_tag_a_weak_one_or_a_date_gets_the_whole_200(if_range):
    answer = _answer(Range="bytes=10-", If_Range=if_range)

    assert (answer.status, answer.start, answer.stop) == (200, 0, SIZE)


def test_a_head_request_ignores_range():
    assert _answer("head", Range="bytes=10-").status == 200


@pytest.mark.parametrize("tags", [ETAG, f'"other", {ETAG}', f"W/{ETAG}", "*"])
def test_if_none_match_with_the_current_tag_is_304(tags):
    assert _answer(If_None_Match=tags).status == 304


def test_if_none_match_with_other_tags_gets_the_representation():
    assert _answer(If_None_Match='"other"', Range="bytes=0-0").status == 206


@pytest.mark.parametrize("tags", ['"other"', f"W/{ETAG}", "garbage"])
def test_if_match_without_a_strong_match_is_412(tags):
    assert _answer(If_Match=tags, Range="bytes=0-9").status == 412


@pytest.mark.parametrize("tags", [ETAG, f'"other", {ETAG}', "*"])
def test_if_match_with_the_current_tag_goes_on_to_the_range(tags):
    assert _answer(If_Match=tags, Range="bytes=0-9").status == 206


def test_an_empty_representation_has_no_satisfiable_range():
    assert parse_range("bytes=0-", 0) is False
    assert parse_range("bytes=-1", 0) is False
