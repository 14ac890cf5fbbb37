"""The fault suite: Proofsheet's production-like stack under the faults of issue 11.

Run by `bin/faults` against a running `bin/prodstack`; each scenario breaks one thing
while photographers upload and visitors browse, lets the stack recover on its own, then
audits the database rows against the bucket's objects and each account's bytes used.
Plain scripts, not pytest: `bin/test` never collects them (pytest.ini's testpaths).
"""
