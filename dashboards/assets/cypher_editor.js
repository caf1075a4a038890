/*
 * The Cypher console's editor: syntax highlighting and line numbers for the
 * dcc.Textarea#console-query, kept in step with what is typed or set by a
 * callback; Ctrl+Enter (Cmd+Enter) runs; Tab indents. Plain script, no download.
 * Also the clientside callback that keeps the page URL in step with the last
 * run (history.replaceState: the page is not reloaded).
 */
(function () {
  "use strict";

  var KEYWORDS = ("MATCH OPTIONAL WHERE RETURN WITH UNWIND ORDER BY SKIP LIMIT AS DISTINCT AND OR XOR NOT IN IS " +
    "NULL TRUE FALSE CASE WHEN THEN ELSE END CALL YIELD UNION ALL EXISTS COUNT COLLECT STARTS ENDS CONTAINS " +
    "ASC DESC ASCENDING DESCENDING SHORTESTPATH ALLSHORTESTPATHS ANY NONE SINGLE EXPLAIN PROFILE OFFSET " +
    "CREATE MERGE SET DELETE DETACH REMOVE FOREACH LOAD CSV FROM").split(" ");
  var KEYWORD_SET = {};
  KEYWORDS.forEach(function (k) { KEYWORD_SET[k] = true; });

  var TOKEN = new RegExp([
    "(\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?(?:\\*\\/|$))",           // 1 comment
    "('(?:\\\\[\\s\\S]|[^'\\\\])*'?|\"(?:\\\\[\\s\\S]|[^\"\\\\])*\"?)", // 2 string
    "(`(?:``|[^`])*`?)",                                       // 3 backtick name
    "(\\$[A-Za-z0-9_]+)",                                      // 4 parameter
    "(\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)",              // 5 number
    "(:\\s*[A-Za-z_][A-Za-z0-9_]*)",                           // 6 label or type
    "([A-Za-z_][A-Za-z0-9_]*)(?=\\s*\\()",                     // 7 function
    "([A-Za-z_][A-Za-z0-9_]*)"                                 // 8 word
  ].join("|"), "g");

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function span(cls, text) {
    return '<span class="cq-tok-' + cls + '">' + escapeHtml(text) + "</span>";
  }

  function highlight(text) {
    var out = "";
    var last = 0;
    text.replace(TOKEN, function (match, comment, string, name, param, number, label, func, word, offset) {
      out += escapeHtml(text.slice(last, offset));
      last = offset + match.length;
      if (comment) { out += span("comment", match); }
      else if (string) { out += span("string", match); }
      else if (name) { out += span("name", match); }
      else if (param) { out += span("param", match); }
      else if (number) { out += span("number", match); }
      else if (label) { out += span("label", match); }
      else if (func) { out += KEYWORD_SET[func.toUpperCase()] ? span("keyword", match) : span("function", match); }
      else if (KEYWORD_SET[word.toUpperCase()]) { out += span("keyword", match); }
      else { out += escapeHtml(match); }
      return match;
    });
    out += escapeHtml(text.slice(last));
    return out + "\n ";  // a last empty line must still take its height
  }

  function render(editor, textarea) {
    var code = editor.querySelector(".cq-highlight-code");
    var gutter = editor.querySelector(".cq-gutter");
    var value = textarea.value || "";
    code.innerHTML = highlight(value);
    var lines = value.split("\n").length;
    if (gutter.childElementCount !== lines) {
      var numbers = [];
      for (var i = 1; i <= lines; i++) { numbers.push("<div>" + i + "</div>"); }
      gutter.innerHTML = numbers.join("");
    }
    syncScroll(editor, textarea);
  }

  function syncScroll(editor, textarea) {
    var pre = editor.querySelector(".cq-highlight");
    var gutter = editor.querySelector(".cq-gutter");
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
    gutter.scrollTop = textarea.scrollTop;
  }

  function runShortcut(event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      var button = document.getElementById("console-run");
      // Let React's change of the textarea value reach Dash before the click does.
      if (button) { setTimeout(function () { button.click(); }, 0); }
      return true;
    }
    return false;
  }

  function bind(editor, textarea) {
    textarea.dataset.cqBound = "1";
    textarea.addEventListener("input", function () { render(editor, textarea); });
    textarea.addEventListener("scroll", function () { syncScroll(editor, textarea); });
    textarea.addEventListener("keydown", function (event) {
      if (runShortcut(event)) { return; }
      if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        // execCommand keeps the browser's undo stack and fires the input event React listens to.
        document.execCommand("insertText", false, "  ");
      }
    });
    render(editor, textarea);
  }

  // Dash renders (and re-renders) the page at any time, and callbacks set the value without
  // an input event: a light poll binds new textareas and re-highlights changed values.
  var lastValue = null;
  setInterval(function () {
    var textarea = document.getElementById("console-query");
    if (!textarea) { lastValue = null; return; }
    var editor = textarea.closest(".cq-editor");
    if (!editor) { return; }
    if (!textarea.dataset.cqBound) { bind(editor, textarea); lastValue = textarea.value; return; }
    if (textarea.value !== lastValue) { lastValue = textarea.value; render(editor, textarea); }
    var params = document.getElementById("console-params");
    if (params && !params.dataset.cqBound) {
      params.dataset.cqBound = "1";
      params.addEventListener("keydown", runShortcut);
    }
  }, 120);

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cypherConsole: {
      // Put the last run's query, parameters and the view in the address, so that a link reproduces them.
      syncUrl: function (lastrun, view) {
        var search = new URLSearchParams(window.location.search);
        if (lastrun && lastrun.q !== undefined) {
          search.set("q", lastrun.q);
          search.set("params", lastrun.params || "");
          if (lastrun.mode && lastrun.mode !== "run") { search.set("mode", lastrun.mode); } else { search.delete("mode"); }
          search.delete("saved");
        }
        if (view) { search.set("view", view); }
        var url = window.location.pathname + "?" + search.toString();
        if (url !== window.location.pathname + window.location.search) {
          window.history.replaceState(window.history.state, "", url);
        }
        return window.dash_clientside.no_update;
      }
    }
  });
  window.cypherConsoleHighlight = highlight;  // for the browser tests
})();
