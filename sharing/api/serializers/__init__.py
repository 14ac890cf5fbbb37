"""What the sharing API reads and writes, by audience: `owner` for the photographer's
links, their analytics and the favourites lists sent to them; `visitor` for the gallery
a visitor without an account sees through a link, its gate and their own list."""

RENDITIONS_HELP = (
    'Short-lived URLs of the photo\'s renditions, keyed size.format: "grid.webp", '
    '"grid.jpeg", "grid_2x.webp", "preview.jpeg"... (grid fits 400 px, grid_2x '
    "800 px, preview 2048 px, or 1920-2048 px when that is the photo halved or "
    "quartered exactly). Fetch them again when they expire (about an hour)."
)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def absolute_url(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path
