"""The graders' review site (`annotate check NOTES... --html DIR`): pure rendering, no printing, no writes.

build.py maps check's results (and each commit's snapshot) to the page data of model.py; page.py and
index.py render them to HTML strings; the cli layer writes them (cli/site.py). Pages work from
file:// with no network: a Content-Security-Policy forbids every load and allows only the page's own
inline script and style, by hash (assets.py).
"""
