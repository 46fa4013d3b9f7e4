"""What a sentence function returns: plain text and the facts whose sources it cites.

No markup here: :mod:`tradelib.markup` escapes the text and adds the citation marks. A :class:`Text` may say
where its marks go (``anchors``: after the clause each supports); without anchors its marks follow the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Text:
    """A sentence or a few, as plain text, and the facts whose sources it cites.

    ``anchors``: ``(offset, facts)`` pairs in order, each a place in ``text`` where the marks of ``facts`` go;
    empty when all the marks go at the end. ``facts`` holds every fact cited (with anchors, their union).
    """

    text: str
    facts: list = field(default_factory=list)
    anchors: list[tuple[int, tuple]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.text)

    def segments(self) -> list[tuple[str, tuple]]:
        """The text cut at its anchors: ``(segment, facts whose marks follow it)``, in order; without anchors,
        the whole text followed by all its facts."""
        if not self.anchors:
            return [(self.text, tuple(self.facts))]
        out, at = [], 0
        for offset, facts in self.anchors:
            out.append((self.text[at:offset], facts))
            at = offset
        if at < len(self.text):
            out.append((self.text[at:], ()))
        return out
