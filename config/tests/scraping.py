"""Reading /metrics as Prometheus would, for the tests of what it reports."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "metrics-test-token-0123456789"


def scrape(client) -> dict[tuple[str, frozenset], float]:
    """Every sample /metrics reports: (name, labels) -> value."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.content
    return parse(response.content.decode())


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name: str, **labels) -> float:
    """One sample's value; 0 for one not reported yet (a counter never incremented)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def metrics_on(settings):
    """/metrics answers, to the scrape token."""
    settings.METRICS_TOKEN = TOKEN
