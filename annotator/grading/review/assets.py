"""The shipped style sheets and scripts (static/*.css, *.js, package data) and the HTML document around
a page: a Content-Security-Policy that forbids every load (`default-src 'none'`) and allows only the
inline <script> and <style> whose SHA-256 it names, computed here from the exact text shipped.

Each script is under 50 lines: click handling is delegated through one listener, with no `on*`
attributes (a hash-only policy forbids them) and no `style=` attributes (they would need
'unsafe-hashes').
"""

from __future__ import annotations

import base64
import hashlib
import html
from functools import lru_cache
from importlib import resources

from annotator.grading.review.code import PYGMENTS_CSS


@lru_cache(maxsize=8)
def asset(name: str) -> str:
    """The text of static/NAME (page.css, page.js, index.css, index.js)."""
    text: str = (resources.files("annotator.grading.review") / "static" / name).read_text(encoding="utf-8")
    return text


def page_css() -> str:
    return asset("page.css") + PYGMENTS_CSS


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly `text` as an inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


GENERATOR = '<meta name="generator" content="vllm-annotator review site">'  # what cli/site.py may remove


def document(title: str, body: str, js: str, css: str) -> str:
    """A whole HTML document; the policy comes before the <style> it allows. frame-ancestors,
    report-uri and sandbox are left out: in a <meta> policy Chromium ignores them with a console error."""
    csp = (
        f"default-src 'none'; script-src {csp_hash(js)}; style-src {csp_hash(css)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"{GENERATOR}\n"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n"
        f"<script>{js}</script>\n</body>\n</html>\n"
    )
