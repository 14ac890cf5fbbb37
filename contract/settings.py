"""The production settings, for the contract check's embedded site (contract/run.py).

One change: passwords hash with a fast hasher, as in the test suite. PBKDF2's ~0.6 s
per hash on a small machine is half the check's time (every link with a password,
every unlock, password change and account deletion it tries), and says nothing about
the API's contract. A site checked with --base-url keeps its own settings.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
