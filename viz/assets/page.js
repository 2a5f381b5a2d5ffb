/* bclm-kg network page: reads the embedded JSON, draws it with vis-network, filters it and
   shows evidence panels. Text from the data only ever goes into textContent or canvas labels,
   never into innerHTML or vis-network's HTML tooltips. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("bclm-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var nodeById = new Map();
  var edgesOf = new Map();
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); edgesOf.set(n.id, []); });
  data.edges.forEach(function (e) { edgesOf.get(e.from).push(e); edgesOf.get(e.to).push(e); });

  var state = {};
  function resetState() {
    state.directions = new Set(data.facets.directions);
    state.families = new Set(data.facets.families);
    state.sites = new Set(data.facets.sites);
    state.sources = new Set(data.facets.sources.map(function (s) { return s[0]; }));
    state.factor = "";
    state.search = "";
  }
  resetState();

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  // --- the network ----------------------------------------------------------------------
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, shape: n.shape, size: n.size,
      color: { background: n.color, border: "#444",
               highlight: { background: n.color, border: "#000" },
               hover: { background: n.color, border: "#000" } }
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return {
      id: e.id, from: e.from, to: e.to, width: e.width, dashes: e.dashes, smooth: e.smooth,
      color: { color: e.color, highlight: e.color, hover: e.color, opacity: 0.85 }
    };
  }));
  var big = data.nodes.length > 500;
  var network = new vis.Network($("network"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false, solver: "barnesHut", stabilization: { iterations: 100, fit: false } },
    interaction: { hover: true, tooltipDelay: 200, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    nodes: { font: { size: 12, face: "system-ui, sans-serif" }, borderWidth: 1 },
    edges: { smooth: false, selectionWidth: 2 }
  });

  // --- filters --------------------------------------------------------------------------
  function nodePasses(n) {
    if (n.kind === "modality" && !state.families.has(n.group)) { return false; }
    if (n.kind === "factor" && state.factor && n.factor !== state.factor) { return false; }
    return true;
  }
  function anyIn(values, chosen) {
    return values.length === 0 || values.some(function (v) { return chosen.has(v); });
  }
  function edgePasses(e) {
    if (e.direction && !state.directions.has(e.direction)) { return false; }
    if (!anyIn(e.sources, state.sources) || !anyIn(e.sites, state.sites)) { return false; }
    return nodePasses(nodeById.get(e.from)) && nodePasses(nodeById.get(e.to));
  }
  function matches(n) { return state.search !== "" && n.search.indexOf(state.search) >= 0; }

  function visibility() {
    var shownEdges = new Set();
    var shownNodes = new Set();
    data.edges.forEach(function (e) {
      if (!edgePasses(e)) { return; }
      if (state.search && !matches(nodeById.get(e.from)) && !matches(nodeById.get(e.to))) { return; }
      shownEdges.add(e.id); shownNodes.add(e.from); shownNodes.add(e.to);
    });
    data.nodes.forEach(function (n) {
      var alone = edgesOf.get(n.id).length === 0;
      if (nodePasses(n) && (state.search ? matches(n) : alone)) { shownNodes.add(n.id); }
    });
    return { nodes: shownNodes, edges: shownEdges };
  }

  function apply() {
    var shown = visibility();
    var nodeChanges = [], edgeChanges = [];
    nodes.forEach(function (n) {
      var hidden = !shown.nodes.has(n.id);
      if (Boolean(n.hidden) !== hidden) { nodeChanges.push({ id: n.id, hidden: hidden }); }
    });
    edges.forEach(function (e) {
      var hidden = !shown.edges.has(e.id);
      if (Boolean(e.hidden) !== hidden) { edgeChanges.push({ id: e.id, hidden: hidden }); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    var text = "Showing " + shown.nodes.size + " of " + data.nodes.length + " nodes and " +
      shown.edges.size + " of " + data.edges.length + " links";
    if (data.omitted_associations) {
      text += " (" + data.omitted_associations + " associations name no modality and are not drawn)";
    }
    $("counts").textContent = text;
    return shown;
  }

  function checkboxes(container, values, chosen, labelOf) {
    values.forEach(function (value) {
      var box = el("input");
      box.type = "checkbox"; box.value = value; box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) { chosen().add(value); } else { chosen().delete(value); }
        apply();
      });
      var only = el("button", "only", "only");
      only.type = "button";
      only.title = "show only " + labelOf(value);
      only.addEventListener("click", function () {
        chosen().clear();
        chosen().add(value);
        container.querySelectorAll("input[type=checkbox]").forEach(function (b) {
          b.checked = b.value === value;
        });
        apply();
      });
      var label = el("label");
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + labelOf(value) + " "));
      label.title = labelOf(value);
      var row = el("div", null, "choice");
      row.appendChild(only);
      row.appendChild(label);
      container.appendChild(row);
    });
  }
  var same = function (v) { return v; };
  checkboxes($("filter-direction"), data.facets.directions, function () { return state.directions; }, same);
  checkboxes($("filter-family"), data.facets.families, function () { return state.families; }, same);
  checkboxes($("filter-site"), data.facets.sites, function () { return state.sites; }, same);
  var sourceLabels = new Map(data.facets.sources);
  checkboxes($("filter-source"), data.facets.sources.map(function (s) { return s[0]; }),
    function () { return state.sources; },
    function (file) { return sourceLabels.get(file); });
  data.facets.factors.forEach(function (factor) {
    var option = el("option", factor);
    option.value = factor;
    $("filter-factor").appendChild(option);
  });
  $("filter-factor").addEventListener("change", function (event) {
    state.factor = event.target.value; apply();
  });
  $("search").addEventListener("input", function (event) {
    state.search = event.target.value.trim().toLowerCase();
    var shown = apply();
    var first = data.nodes.find(function (n) { return matches(n) && shown.nodes.has(n.id); });
    if (first) { select(first.id); }
    if (state.search && shown.nodes.size) {
      network.fit({ nodes: Array.from(shown.nodes), animation: false });
    }
  });
  $("physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });
  $("reset").addEventListener("click", function () {
    resetState();
    document.querySelectorAll("#controls input[type=checkbox][value]").forEach(function (b) { b.checked = true; });
    $("filter-factor").value = "";
    $("search").value = "";
    apply();
    network.fit({ animation: false });
  });

  // --- legend ---------------------------------------------------------------------------
  var GLYPHS = { dot: "\u25CF", diamond: "\u25C6", square: "\u25A0", triangle: "\u25B2", hexagon: "\u2B22", star: "\u2605" };
  function legendRow(swatch, text) {
    var row = el("div", null, "row");
    row.appendChild(swatch);
    row.appendChild(el("span", text));
    $("legend").appendChild(row);
  }
  var kindsShown = new Set(data.nodes.map(function (n) { return n.kind; }));
  data.styles.kinds.forEach(function (style) {
    var kind = style[0];
    if (!kindsShown.has(kind)) { return; }
    $("legend").appendChild(el("h2", GLYPHS[style[1]] + " " + style[2]));
    var groups = data.styles.groups[kind] || {};
    Object.keys(groups).forEach(function (group) {
      var swatch = el("span", null, "swatch");
      swatch.style.background = groups[group];
      legendRow(swatch, group);
    });
  });
  $("legend").appendChild(el("h2", "Links (width: number of studies)"));
  Object.keys(data.styles.directions).forEach(function (direction) {
    var line = el("span", null, "line");
    line.style.borderTop = "3px solid " + data.styles.directions[direction];
    legendRow(line, direction);
  });
  var edgeKinds = new Set(data.edges.map(function (e) { return e.kind; }));
  Object.keys(data.styles.edges).forEach(function (kind) {
    if (!edgeKinds.has(kind)) { return; }
    var line = el("span", null, "line");
    line.style.borderTop = "3px solid " + data.styles.edges[kind];
    legendRow(line, kind);
  });
  $("legend").appendChild(el("p", "Node size: patients studied."));

  // --- evidence panel and tooltip -------------------------------------------------------
  function renderPanel(id) {
    var panel = $("panel");
    var content = data.panels[id];
    panel.replaceChildren();
    panel.dataset.shown = id;
    panel.appendChild(el("h2", content.title));
    panel.appendChild(el("p", content.subtitle, "subtitle"));
    content.sections.forEach(function (section) {
      var heading = el("h3", section.heading);
      heading.dataset.direction = section.direction;
      panel.appendChild(heading);
      var list = el("ul");
      list.dataset.direction = section.direction;
      section.items.forEach(function (item) {
        var li = el("li");
        li.appendChild(el("span", item.text, "item"));
        if (item.refs.length) {
          var refs = el("ul", null, "refs");
          item.refs.forEach(function (ref) {
            var r = el("li", ref.text);
            if (ref.quote) { r.appendChild(el("blockquote", "\u201C" + ref.quote + "\u201D")); }
            refs.appendChild(r);
          });
          li.appendChild(refs);
        }
        list.appendChild(li);
      });
      panel.appendChild(list);
    });
  }
  function select(id) {
    if (nodeById.has(id)) { network.selectNodes([id]); }
    renderPanel(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { select(params.nodes[0]); }
    else if (params.edges.length) { renderPanel(params.edges[0]); }
  });
  function count(n, one, many) { return n + " " + (n === 1 ? one : many); }
  var tooltip = $("tooltip");
  var edgeById = new Map(data.edges.map(function (e) { return [e.id, e]; }));
  function showTooltip(text, params) {
    tooltip.textContent = text;
    var box = $("network").getBoundingClientRect();
    tooltip.style.left = (box.left + params.pointer.DOM.x + 12) + "px";
    tooltip.style.top = (box.top + params.pointer.DOM.y + 12) + "px";
    tooltip.hidden = false;
  }
  network.on("hoverNode", function (params) { showTooltip(nodeById.get(params.node).summary, params); });
  network.on("hoverEdge", function (params) {
    var e = edgeById.get(params.edge);
    var text = nodeById.get(e.from).label + " \u2014 " + nodeById.get(e.to).label;
    if (e.direction) {
      text += "\n" + e.direction + ", " + count(e.studies, "study", "studies") + ", " +
        count(e.associations, "association", "associations") + ", " +
        count(e.reviews, "review", "reviews");
    }
    showTooltip(text, params);
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("blurEdge", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });

  // --- ready ----------------------------------------------------------------------------
  window.bclm = {
    data: data, network: network, nodes: nodes, edges: edges, state: state, apply: apply,
    select: select, ready: false, readyMs: null,
    visibleNodeIds: function () { return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; }); },
    visibleEdgeIds: function () { return edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; }); }
  };
  apply();
  network.once("afterDrawing", function () {
    window.bclm.ready = true;
    window.bclm.readyMs = performance.now();
    document.body.dataset.ready = "true";
  });
  network.fit({ animation: false });
}());
