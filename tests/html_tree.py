"""A small DOM for tests: enough to find rows, cells, forms and links in a page by tag and
attributes, so a test reads a figure from the element that should hold it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join("".join(parts).split())

    def own_text(self) -> str:
        """Text of the element without its descendant elements (a cell without its flag)."""
        return " ".join("".join(c for c in self.children if isinstance(c, str)).split())

    def iter(self, tag: str | None = None, **attrs: str):
        for child in self.children:
            if isinstance(child, Element):
                if (tag is None or child.tag == tag) and all(
                    child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()
                ):
                    yield child
                yield from child.iter(tag, **attrs)

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = list(self.iter(tag, **attrs))
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def is_inside(self, other: Element) -> bool:
        node = self.parent
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(response) -> Element:
    assert response.status_code == 200, response.status_code
    builder = _TreeBuilder()
    builder.feed(response.content.decode("utf-8"))
    builder.close()
    return builder.root
