"""Read the data a written page embeds, as the browser would."""

from __future__ import annotations

import json
import re

DATA_BLOCK = re.compile(r'<script type="application/json" id="bclm-data">(.*?)</script>', re.DOTALL)


def embedded_data(html: str) -> dict:
    blocks = DATA_BLOCK.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])
