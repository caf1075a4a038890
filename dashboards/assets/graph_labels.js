/* Every Cytoscape view of the app (class pg-graph): labels that never collide, neighbourhood highlighting, find.

Labels, as VOSviewer draws them: in order of importance (data.rank: the centre first, then size), each one
below its node, else above, right or left of it, where its box meets no label already drawn and no node but
small unlabelled ones (edges may run under it); the others stay hidden (text-opacity 0)
until the node is hovered, selected or found, or the user zooms in. Label text keeps one size on screen
whatever the zoom, so zooming in frees room and more labels appear; zooming out leaves the important ones.

Positions are the server's (a preset layout): nothing here moves a node. */
(function () {
  "use strict";
  var FONT_PX = 11;          // label size on screen
  var MAX_WIDTH_PX = 150;    // label width on screen before the ellipsis
  var MARGIN_PX = 3;         // between a node and its label
  var PAD_PX = 2;            // kept clear around each label, on screen
  var SMALL_MODEL = 34;      // nodes about the plain size (30, with the border) may lie under a label

  function overlap(a, b, pad) {
    return a.x1 - pad < b.x2 && b.x1 - pad < a.x2 && a.y1 - pad < b.y2 && b.y1 - pad < a.y2;
  }

  function forced(n) {
    // The centre's label always shows: it says whose neighbourhood this is.
    return n.hasClass("centre") || n.selected() || n.hasClass("pg-hover") || n.hasClass("pg-found");
  }

  // Where a label may go, tried in this order: below the node (the stylesheet's place), above, right, left.
  var PLACES = [
    {valign: "bottom", halign: "center", mx: 0, my: 1},
    {valign: "top", halign: "center", mx: 0, my: -1},
    {valign: "center", halign: "right", mx: 1, my: 0},
    {valign: "center", halign: "left", mx: -1, my: 0}
  ];

  function placed(place, body, below, margin) {
    // The label's box at ``place``, from its box below the node (what Cytoscape measured).
    var w = below.x2 - below.x1, h = below.y2 - below.y1;
    var cx = (body.x1 + body.x2) / 2, cy = (body.y1 + body.y2) / 2;
    if (place.my > 0) { return below; }
    if (place.my < 0) { return {x1: below.x1, x2: below.x2, y1: body.y1 - margin - h, y2: body.y1 - margin}; }
    var x1 = place.mx > 0 ? body.x2 + margin : body.x1 - margin - w;
    return {x1: x1, x2: x1 + w, y1: cy - h / 2, y2: cy + h / 2, cx: cx};
  }

  function placeLabels(cy) {
    var z = cy.zoom() || 1;
    var pad = PAD_PX / z, margin = MARGIN_PX / z;
    var nodes = cy.nodes().sort(function (a, b) {
      var ra = a.data("rank"), rb = b.data("rank");
      return (ra === undefined ? 1e9 : ra) - (rb === undefined ? 1e9 : rb);
    });
    var movable = nodes.filter(function (n) { return n.data("type") !== "more"; });
    cy.startBatch();
    nodes.style({"font-size": FONT_PX / z, "text-max-width": MAX_WIDTH_PX / z});
    movable.style({"text-valign": "bottom", "text-halign": "center", "text-margin-x": 0, "text-margin-y": margin});
    cy.endBatch();
    var bodies = [], big = [];
    nodes.forEach(function (n) {
      var b = n.boundingBox({includeLabels: false, includeOverlays: false});
      bodies.push(b);
      // A small node with no label of its own may sit under a label: it stays visible around it.
      big.push(b.x2 - b.x1 > SMALL_MODEL || forced(n));
    });
    var drawn = [], choice = [];
    nodes.forEach(function (n, i) {
      var label = n.style("label");
      if (!label) { choice.push(-1); return; }
      var below = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true,
                                 includeOverlays: false});
      var tries = n.data("type") === "more" ? 1 : PLACES.length;
      var found = -1;
      for (var p = 0; p < tries && found < 0; p++) {
        var box = placed(PLACES[p], bodies[i], below, margin);
        var free = !drawn.some(function (d) { return overlap(d, box, pad); });
        for (var j = 0; free && j < bodies.length; j++) {
          if (j !== i && (big[j] || choice[j] >= 0) && overlap(bodies[j], box, 0)) { free = false; }
        }
        if (free) { found = p; drawn.push(box); }
      }
      if (found < 0 && forced(n)) { found = 0; drawn.push(below); }
      choice.push(found);
    });
    cy.startBatch();
    nodes.forEach(function (n, i) {
      var c = choice[i];
      n.style("text-opacity", c >= 0 ? 1 : 0);
      if (c > 0) {
        var place = PLACES[c];
        n.style({"text-valign": place.valign, "text-halign": place.halign,
                 "text-margin-x": place.mx * margin, "text-margin-y": place.my * margin});
      }
    });
    cy.endBatch();
    cy.scratch("_pgLabelRuns", (cy.scratch("_pgLabelRuns") || 0) + 1);
  }

  function schedule(cy) {
    if (cy.scratch("_pgTimer")) { clearTimeout(cy.scratch("_pgTimer")); }
    cy.scratch("_pgTimer", setTimeout(function () {
      cy.scratch("_pgTimer", null);
      if (!cy.destroyed()) { placeLabels(cy); }
    }, 40));
  }

  function dim(cy, keep) {
    cy.startBatch();
    cy.elements().removeClass("pg-dim");
    if (keep && keep.length) { cy.elements().not(keep).addClass("pg-dim"); }
    cy.endBatch();
  }

  function lit(cy) {
    // What stays bright: the tapped node's neighbourhood, or what was found.
    var focus = cy.scratch("_pgFocus");
    if (focus && !focus.removed()) { return focus.closedNeighborhood(); }
    var found = cy.nodes(".pg-found");
    return found.length ? found.union(found.edgesWith(found)) : null;
  }

  function attach(cy) {
    cy.scratch("_pgAttached", true);
    cy.on("add remove layoutstop zoom resize free select unselect data", function () { schedule(cy); });
    cy.on("mouseover", "node", function (evt) {
      var n = evt.target;
      n.addClass("pg-hover");
      n.style("text-opacity", 1);
      dim(cy, n.closedNeighborhood());
    });
    cy.on("mouseout", "node", function (evt) {
      evt.target.removeClass("pg-hover");
      dim(cy, lit(cy));
      schedule(cy);
    });
    cy.on("tap", function (evt) {
      if (evt.target === cy) {
        cy.scratch("_pgFocus", null);
      } else if (evt.target.isNode && evt.target.isNode()) {
        cy.scratch("_pgFocus", evt.target);
      }
      dim(cy, lit(cy));
    });
    // The view is complete when it is found (dash-cytoscape adds the elements and runs the preset layout while
    // mounting): label it now; later changes go through the short debounce.
    placeLabels(cy);
  }

  function scan() {
    var els = document.querySelectorAll(".pg-graph");
    for (var i = 0; i < els.length; i++) {
      var cy = els[i]._cyreg && els[i]._cyreg.cy;
      if (cy && !cy.scratch("_pgAttached")) { attach(cy); }
    }
  }

  function find(graphId, text) {
    var el = document.getElementById(graphId);
    var cy = el && el._cyreg && el._cyreg.cy;
    if (!cy) { return ""; }
    var q = (text || "").trim().toLowerCase();
    cy.nodes().removeClass("pg-found");
    if (q.length < 2) { dim(cy, lit(cy)); schedule(cy); return ""; }
    var hits = cy.nodes().filter(function (n) {
      if (n.data("type") === "more") { return false; }
      return [n.data("label"), n.data("name"), n.data("title"), n.id()].some(function (v) {
        return v && String(v).toLowerCase().indexOf(q) >= 0;
      });
    });
    hits.addClass("pg-found");
    cy.scratch("_pgFocus", null);
    dim(cy, lit(cy));
    if (hits.length) { cy.animate({fit: {eles: hits.closedNeighborhood(), padding: 60}, duration: 250}); }
    schedule(cy);
    return hits.length === 1 ? "1 match" : hits.length + " matches";
  }

  window.pgGraph = {find: find, placeLabels: placeLabels};
  // Graphs appear whenever Dash renders a page: a short poll finds them before a reader would notice (at 300 ms
  // it was a fifth of the time from navigation to a labelled 300-element view); a scan is one DOM query.
  setInterval(scan, 50);
})();
