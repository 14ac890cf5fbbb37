"""The email a preview page shows, as the browser reads its frame (`srcdoc`)."""

from html.parser import HTMLParser


class _Frames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.documents: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe" and "mail-preview" in (dict(attrs).get("class") or ""):
            self.documents.append(dict(attrs).get("srcdoc") or "")


def previewed_email(page_html: str) -> str:
    """The HTML document inside the page's email preview frame."""
    frames = _Frames()
    frames.feed(page_html)
    assert len(frames.documents) == 1, frames.documents
    return frames.documents[0]
