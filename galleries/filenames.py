"""What an uploaded file is called, and what a download of it is called.

The rule for the name an upload keeps (`upload_name`):

- The name is the one the browser or script sent, character for character: a slash
  or a backslash inside it is part of the name (``<script>alert(1)</script>.jpg``,
  ``AC/DC live.jpg``, ``Wedding/IMG_0001.jpg`` are kept whole). No file system lets
  a file's own name hold a slash, but a name is only text to us: it is never used to
  build a storage path (originals are stored under the photo's id, see
  `filestore.original_name`) and is escaped wherever it is shown.
- It is cut to its last component only when the whole of it is a path to a file on
  someone's machine, which is when it either
    * starts at a root: POSIX ``/``, Windows ``\\``, a UNC share ``\\\\server\\share``,
      a drive ``C:\\`` or ``C:/``, or a home ``~/``; or
    * has a ``.`` or ``..`` component (``../../x.jpg``, ``photos/../x.jpg``,
      ``..\\x.jpg``), which only a path has.
  Both ``/`` and ``\\`` separate components in that case, whichever system sent it.
- Then what cannot be shown safely goes: control characters (a tab or line break
  becomes a space, NUL and the rest are dropped) and the invisible bidirectional
  controls that make ``gpj.exe`` read as ``exe.jpg``. The name is NFC-normalised
  (macOS sends decomposed accents), spaces around it are trimmed, and a name longer
  than 255 characters is shortened in its stem, keeping its extension.
- Nothing left (``C:\\``, ``/home/a/``, ``..``, only spaces) is an error.

`download_name` is the name a download gets (Content-Disposition): one component
that every system saves as is, so a kept slash cannot become a folder.
"""

import re
import unicodedata
from pathlib import PurePosixPath

MAX_LENGTH = 255

_SEPARATORS = re.compile(r"[\\/]")
_ROOT = re.compile(r"^(?:[\\/]|~[\\/]|[A-Za-z]:[\\/])")
# Bidirectional embeddings, overrides, isolates and marks.
_BIDI = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
# What Windows refuses in a name, with both separators.
_UNSAVEABLE = str.maketrans(dict.fromkeys('/\\:*?"<>|', "_"))


def is_path(name: str) -> bool:
    """Whether the name is a path to a file rather than a file's name (see above)."""
    if _ROOT.match(name):
        return True
    return any(part in {".", ".."} for part in _SEPARATORS.split(name))


def _visible(name: str) -> str:
    name = unicodedata.normalize("NFC", name).translate(_BIDI)
    return "".join(
        " " if char in "\t\n\r\v\f" else char
        for char in name
        if char in "\t\n\r\v\f" or unicodedata.category(char) != "Cc"
    ).strip()


def _shorten(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    suffix = PurePosixPath(name.replace("\\", "/")).suffix[:16]
    return name[: limit - len(suffix)].rstrip() + suffix


def upload_name(sent: str) -> str:
    """The name an upload keeps, by the rule above; "" when none is left."""
    sent = sent.strip()
    name = _SEPARATORS.split(sent)[-1] if is_path(sent) else sent
    name = _visible(name)
    if name in {".", ".."}:
        return ""
    return _shorten(name, MAX_LENGTH)


def download_name(name: str, *, fallback: str = "photo") -> str:
    """One path component to save a file as: no separators, nothing invisible."""
    name = _visible(name).translate(_UNSAVEABLE).strip(" .")
    return _shorten(name, 150) or fallback
