"""The bounded store behind a process's caches: never more than its bound, the value
used longest ago goes first, and a missing or just-evicted key is simply not found."""

import sys
import threading

import pytest

from config.lru import LRU


def test_a_full_store_lets_only_the_least_recently_used_value_go():
    store = LRU(3)
    store.put_many({"a": "A", "b": "B", "c": "C"})
    store.get_many(["a"])  # "b" is now the one used longest ago

    store.put("d", "D")

    assert len(store) == 3
    assert "b" not in store
    assert store.get_many(["a", "b", "c", "d"]) == {"a": "A", "c": "C", "d": "D"}


def test_getting_one_value_makes_it_the_most_recently_used():
    store = LRU(2)
    store.put("a", "A")
    store.put("b", "B")
    assert store.get("a") == "A"

    store.put("c", "C")

    assert "a" in store
    assert "b" not in store


def test_values_go_in_the_order_they_were_last_used():
    store = LRU(3)
    store.put_many({"a": 1, "b": 2, "c": 3})
    store.get("a")
    store.get("b")

    store.put("d", 4)
    assert "c" not in store
    store.put("e", 5)
    assert "a" not in store
    store.put("f", 6)
    assert "b" not in store
    assert store.get_many(["d", "e", "f"]) == {"d": 4, "e": 5, "f": 6}


def test_a_store_never_holds_more_than_its_bound_even_when_given_more_at_once():
    store = LRU(2)
    store.put_many({n: str(n) for n in range(5)})

    assert len(store) == 2
    assert store.get_many(range(5)) == {3: "3", 4: "4"}


def test_a_missing_key_is_not_found_rather_than_an_error():
    store = LRU(1)
    store.put("a", "A")
    store.put("b", "B")  # "a" is evicted

    assert store.get("a") is None
    assert store.get("a", "default") == "default"
    assert store.get_many(["a", "never"]) == {}


def test_what_get_many_found_stays_the_callers_even_when_the_store_evicts_it():
    store = LRU(2)
    store.put_many({"a": "A", "b": "B"})
    found = store.get_many(["a", "b"])

    store.put_many({"c": "C", "d": "D"})

    assert found == {"a": "A", "b": "B"}
    assert len(store) == 2


def test_putting_a_kept_key_again_refreshes_it_without_growing():
    store = LRU(2)
    store.put_many({"a": "A", "b": "B"})
    store.put("a", "A2")
    store.put("c", "C")

    assert store.get_many(["a", "b", "c"]) == {"a": "A2", "c": "C"}


def test_a_value_of_none_is_kept_like_any_other():
    store = LRU(2)
    store.put("a", None)

    assert "a" in store
    assert store.get_many(["a"]) == {"a": None}


def test_a_store_must_hold_at_least_one_value():
    with pytest.raises(ValueError, match="at least one value"):
        LRU(0)


def test_threads_evicting_and_reading_at_the_bound_never_raise_or_mix_up_values():
    store = LRU(8)
    errors = []
    start = threading.Barrier(6)

    def work(worker: int) -> None:
        start.wait()
        try:
            for n in range(3000):
                key = (worker + n) % 24
                store.put(key, f"value {key}")
                for found_key, value in store.get_many(range(24)).items():
                    assert value == f"value {found_key}"
                value = store.get((key + 7) % 24)
                assert value in {None, f"value {(key + 7) % 24}"}
                assert len(store) <= 8
        except Exception as error:  # noqa: BLE001 - any failure fails the test
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert errors == []
    assert len(store) == 8
