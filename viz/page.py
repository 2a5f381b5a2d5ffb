"""One self-contained HTML page: the template, its CSS and script, vis-network (vendored in
``static/``) and the data, all inline, so that the page loads nothing from the network.

The data goes in a ``<script type="application/json">`` block with every ``<``, ``>`` and
``&`` written as a JSON escape, so no text from the graph can close the block or start markup.
A Content-Security-Policy allows only the page's own two scripts (by hash), no other script,
no network request.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources

VIS_NETWORK = "static/vis-network.min.js"
SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
PLACEHOLDER = re.compile(r"__([A-Z_]+)__")
JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                "\u2029": "\\u2029"}  # fmt: skip


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """JSON safe inside a script element: no '</script', no '<!--', no markup at all."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: JSON_ESCAPES[m.group()], text)


def _inline_script(code: str) -> str:
    if re.search(r"</script|<!--", code, re.IGNORECASE):
        raise ValueError("a vendored or page script contains '</script' or '<!--'")
    return code


def _hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def render_page(data: object, title: str) -> str:
    """The whole page as text; placeholders are filled in one pass over the template."""
    vis_js = _inline_script(SOURCE_MAP.sub("", _asset(VIS_NETWORK)))
    app_js = _inline_script(_asset("assets/page.js"))
    values = {
        "TITLE": html.escape(title),
        "CSS": _asset("assets/page.css"),
        "DATA": script_json(data),
        "VIS_JS": vis_js,
        "APP_JS": app_js,
        "SCRIPT_HASHES": f"{_hash(vis_js)} {_hash(app_js)}",
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("assets/page.html"))
