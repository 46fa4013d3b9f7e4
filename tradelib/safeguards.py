"""What keeps text from data files from becoming markup, and the PDF renderer from reading anything else.

Every text from a data file is escaped where it lands (the narrative, the report blocks, the template);
these are the checks behind that:

* :func:`url_fetcher` is the only way WeasyPrint may load a resource while printing the PDF. It serves
  ``data:`` URIs (inline content) and refuses everything else: no ``file:`` URL (a link with
  ``rel="attachment"`` would embed a local file in the PDF), no network address (a render reads nothing
  from outside).
* :func:`page_problems` reads a finished page and lists anything that is not plain briefing markup: a
  script, an element that loads or embeds something, an event-handler attribute, a link or reference that
  is neither an anchor in the page nor an http(s) address, styles that load or escape. The renderer refuses
  to publish a page with any such problem, so a mistake in escaping fails the render instead of reaching
  a reader.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

# The page's own Content-Security-Policy: no script of any kind, no loading from anywhere but the page.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                           "base-uri 'none'; form-action 'none'")

# the <meta> names the page template writes: the viewport and the render's audit record (render.audit_meta)
PAGE_META = {"viewport", "dcterms.created", "generator", "description"}
FORBIDDEN_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "input",
                      "button", "textarea", "select", "link", "img", "image", "video", "audio", "source", "track",
                      "picture", "portal", "foreignobject", "animate", "animatemotion", "animatetransform", "set",
                      "noscript", "template", "slot", "math", "feimage", "handler", "listener"}
URL_ATTRIBUTES = {"href", "xlink:href", "src", "srcset", "action", "formaction", "data", "poster", "background",
                  "codebase", "cite", "longdesc", "ping", "rdf:resource", "usemap", "manifest"}
SAFE_URL = re.compile(r"^(#[\w.:-]*|https?://[^\s\"'<>`\\]+)$")
UNSAFE_STYLE = re.compile(r"url\((?!\s*#)|@import|expression\s*\(|\\|javascript:|behavior\s*:|-moz-binding",
                          re.IGNORECASE)
# Characters that reorder or hide text (bidirectional formatting, controls other than white space)
HIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                          "\u2066-\u2069]")
ALLOWED_META = {"charset", "viewport", "content-security-policy"}


class RefusedURL(ValueError):
    """The PDF renderer asked for a resource it may not load."""


def _refuse(url: str) -> None:
    if not url.lower().startswith("data:"):
        raise RefusedURL(f"the briefing loads no file or network resource ({url[:80]!r} refused)")


def url_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """Fetch ``url`` for WeasyPrint if it is a ``data:`` URI; refuse anything else (:class:`RefusedURL`)."""
    _refuse(url)
    return pdf_url_fetcher()(url)


def pdf_url_fetcher():
    """The URL fetcher handed to WeasyPrint: ``data:`` URIs only, for WeasyPrint's API of either kind
    (a ``URLFetcher`` object since version 70, a function before)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 70
        from weasyprint import default_url_fetcher

        def fetch(url, timeout=10, ssl_context=None):
            _refuse(url)
            return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
        return fetch

    class DataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            _refuse(url)
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols={"data"}, allow_redirects=False)


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_style = False

    def _add(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in FORBIDDEN_ELEMENTS:
            self._add(f"a <{tag}> element")
        if tag == "meta":
            kind = {k.lower(): (v or "").lower() for k, v in attrs}
            if not ({"charset"} & kind.keys() or kind.get("name") in PAGE_META
                    or kind.get("http-equiv") == "content-security-policy"):
                self._add("a <meta> element other than the page's own")
        self.in_style = tag == "style"
        for name, value in attrs:
            name, value = name.lower(), value or ""
            if name.startswith("on"):
                self._add(f"an event-handler attribute ({name}) on <{tag}>")
            elif name in URL_ATTRIBUTES and not SAFE_URL.match(value.strip()):
                self._add(f"a {name} that is neither an anchor in the page nor an http(s) address ({value[:60]!r})")
            elif name == "style" and UNSAFE_STYLE.search(value):
                self._add(f"a style attribute that loads or escapes ({value[:60]!r})")
            elif name == "rel" and "attachment" in value.lower():
                self._add("a link with rel=attachment")
            if HIDDEN_CHARS.search(value):
                self._add(f"an invisible or reordering character in the {name} attribute of <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag.lower() == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and UNSAFE_STYLE.search(data):
            self._add("a style sheet that loads or escapes")
        m = HIDDEN_CHARS.search(data)
        if m:
            self._add(f"the invisible or reordering character U+{ord(m.group()):04X} in the text")

    def handle_pi(self, data):
        self._add("a processing instruction")


def page_problems(page: str) -> list[str]:
    """What in ``page`` is not plain briefing markup (empty when the page is safe to publish)."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker.problems
