"""The photo pipeline's gauges for /metrics (config/metrics.py), counted from the
database when scraped: one aggregate query, whichever process answers."""

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from galleries.models import Photo

HELP = {
    "waiting": "Photos queued or being processed, within their lease.",
    "stranded": "Photos processing past their lease: the recovery sweep's to requeue.",
    "failed": "Photos whose processing failed (the photographer may retry them).",
}


class PhotoPipelineCollector:
    def collect(self):
        counts = Photo.objects.pipeline_counts(timezone.now())
        for state, help_text in HELP.items():
            yield GaugeMetricFamily(
                f"proofsheet_photos_{state}", help_text, value=counts[state]
            )
