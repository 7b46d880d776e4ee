"""A small reading of a page's HTML for structure checks: headings, landmarks, links, scripts."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise

LANDMARK_TAGS = {"main", "nav", "header", "footer", "aside"}


@dataclass
class Page:
    headings: list[tuple[int, str]] = field(default_factory=list)
    landmarks: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    scripts: int = 0
    stylesheets: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()
        self._heading: tuple[int, list[str]] | None = None
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = (int(tag[1]), [])
        elif tag == "a" and "href" in attributes:
            self._link = (attributes["href"], [])
        elif tag == "script":
            self.page.scripts += 1
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.page.stylesheets.append(attributes["href"])
        if tag in LANDMARK_TAGS:
            self.page.landmarks.append(tag)
        if attributes.get("role") in {"search", "navigation", "main"}:
            self.page.landmarks.append(attributes["role"])

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.page.headings.append((self._heading[0], _words(self._heading[1])))
            self._heading = None
        elif self._link and tag == "a":
            self.page.links.append((self._link[0], _words(self._link[1])))
            self._link = None

    def handle_data(self, data):
        for open_element in (self._heading, self._link):
            if open_element:
                open_element[1].append(data)


def _words(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def read(html: str | bytes) -> Page:
    reader = _Reader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    return reader.page


def headings_in_order(page: Page) -> bool:
    """One h1 first, and no heading more than one level below the one before it."""
    levels = [level for level, _ in page.headings]
    return levels[:1] == [1] and levels.count(1) == 1 and all(b <= a + 1 for a, b in pairwise(levels))
