"""The client catalogs are complete: every string a client sees is translated into
each language (nothing untranslated, nothing fuzzy), and nothing a client sees is
missing from them (regenerated from the sources, as `manage.py clientmessages` does)."""

import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

DOMAINS = ["django", "djangojs"]
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def _catalog(folder, language: str, domain: str):
    return folder / language / "LC_MESSAGES" / f"{domain}.po"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_client_string_is_translated_and_none_is_fuzzy(language, domain):
    po = _catalog(settings.LOCALE_PATHS[0], language, domain)

    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    statistics = done.stderr.strip().splitlines()[-1]
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics
    assert statistics.endswith(("translated messages.", "translated message."))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """The catalogs as the sources ask for them today, untranslated: made in a tree
    of links to the sources with a `locale/` of its own, so ours stays untouched."""
    tree = tmp_path_factory.mktemp("sources")
    for entry in settings.BASE_DIR.iterdir():
        if entry.name not in {"locale", ".venv", ".git", "var"}:
            (tree / entry.name).symlink_to(entry)
    folder = tree / "locale"
    folder.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree)
        patch.setattr(settings, "LOCALE_PATHS", [folder])
        call_command("clientmessages", symlinks=True, verbosity=0)
    return folder


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_of_the_client_pages_is_in_the_catalog(
    regenerated, language, domain
):
    # msgcmp: each msgid the sources have (ref) is translated in the catalog (def).
    done = subprocess.run(
        [
            "msgcmp",
            str(_catalog(settings.LOCALE_PATHS[0], language, domain)),
            str(_catalog(regenerated, language, domain)),
        ],
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, (
        "run `manage.py clientmessages` and translate:\n" + done.stderr
    )
