"""Things the browser tests do to a page: find where a node really is and click it."""

from __future__ import annotations

FIND_NODE_POINT = """
(id) => {
  const net = window.bclm.network;
  const box = net.getBoundingBox(id);
  const rect = document.getElementById('network').getBoundingClientRect();
  for (let i = 0; i <= 8; i++) {
    for (let j = 0; j <= 8; j++) {
      const x = box.left + (box.right - box.left) * (0.1 + 0.1 * i);
      const y = box.top + (box.bottom - box.top) * (0.1 + 0.1 * j);
      const dom = net.canvasToDOM({x: x, y: y});
      if (dom.x < 0 || dom.y < 0 || dom.x > rect.width || dom.y > rect.height) { continue; }
      if (net.getNodeAt(dom) === id) { return [rect.left + dom.x, rect.top + dom.y]; }
    }
  }
  return null;
}
"""

PAINTED_PIXELS = """
() => {
  const canvas = document.querySelector('#network canvas');
  const context = canvas.getContext('2d');
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { painted++; } }
  return painted;
}
"""


def click_node(page: object, node_id: str) -> None:
    """A real mouse click on a visible point of the node (not covered by another node)."""
    page.evaluate("(id) => window.bclm.network.focus(id, {scale: 1.5, animation: false})", node_id)
    point = page.evaluate(FIND_NODE_POINT, node_id)
    assert point is not None, f"no clickable point of {node_id} on the canvas"
    page.mouse.click(point[0], point[1])


def hover_node(page: object, node_id: str) -> None:
    page.evaluate("(id) => window.bclm.network.focus(id, {scale: 1.5, animation: false})", node_id)
    point = page.evaluate(FIND_NODE_POINT, node_id)
    assert point is not None, f"no visible point of {node_id} on the canvas"
    page.mouse.move(point[0] - 40, point[1] - 40)
    page.mouse.move(point[0], point[1], steps=5)
