/* Every Cytoscape view of the app (class pg-graph): labels that never collide, neighbourhood highlighting, find.

Labels, as VOSviewer draws them: in order of importance (data.rank: the centre first, then size), each one
only where its box meets no label already drawn and no other node; the others stay hidden (text-opacity 0)
until the node is hovered, selected or found, or the user zooms in. Label text keeps one size on screen
whatever the zoom, so zooming in frees room and more labels appear; zooming out leaves the important ones.

Positions are the server's (a preset layout): nothing here moves a node. */
(function () {
  "use strict";
  var FONT_PX = 11;          // label size on screen
  var MAX_WIDTH_PX = 150;    // label width on screen before the ellipsis
  var MARGIN_PX = 3;         // between a node and its label
  var PAD_PX = 2;            // kept clear around each label, on screen

  function overlap(a, b, pad) {
    return a.x1 - pad < b.x2 && b.x1 - pad < a.x2 && a.y1 - pad < b.y2 && b.y1 - pad < a.y2;
  }

  function forced(n) {
    // The centre's label always shows: it says whose neighbourhood this is.
    return n.hasClass("centre") || n.selected() || n.hasClass("pg-hover") || n.hasClass("pg-found");
  }

  function placeLabels(cy) {
    var z = cy.zoom() || 1;
    var pad = PAD_PX / z;
    var nodes = cy.nodes().sort(function (a, b) {
      var ra = a.data("rank"), rb = b.data("rank");
      return (ra === undefined ? 1e9 : ra) - (rb === undefined ? 1e9 : rb);
    });
    cy.startBatch();
    nodes.style({"font-size": FONT_PX / z, "text-max-width": MAX_WIDTH_PX / z, "text-margin-y": MARGIN_PX / z});
    cy.endBatch();
    var bodies = [];
    nodes.forEach(function (n) {
      bodies.push(n.boundingBox({includeLabels: false, includeOverlays: false}));
    });
    var drawn = [], show = [];
    nodes.forEach(function (n, i) {
      var label = n.style("label");
      if (!label) { show.push(false); return; }
      var box = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true,
                               includeOverlays: false});
      var free = !drawn.some(function (d) { return overlap(d, box, pad); });
      if (free) {
        for (var j = 0; j < bodies.length; j++) {
          if (j !== i && overlap(bodies[j], box, 0)) { free = false; break; }
        }
      }
      if (free || forced(n)) { drawn.push(box); }
      show.push(free || forced(n));
    });
    cy.startBatch();
    nodes.forEach(function (n, i) { n.style("text-opacity", show[i] ? 1 : 0); });
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
    schedule(cy);
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
  setInterval(scan, 300);
})();
