// The header search box, keyboard friendly: ArrowDown/ArrowUp move through the suggestions,
// Enter opens the highlighted one (a dcc.Link, so Dash navigates without a reload),
// Escape closes the list. Enter with nothing highlighted submits the form (/search?q=...).
(function () {
  "use strict";
  var INPUT = "pg-search-q", LIST = "pg-search-suggest";

  function items() {
    var list = document.getElementById(LIST);
    return list ? Array.prototype.slice.call(list.querySelectorAll("a.pg-suggest-item")) : [];
  }

  function move(step) {
    var all = items();
    if (!all.length) { return; }
    var at = all.findIndex(function (a) { return a.classList.contains("active"); });
    if (at >= 0) { all[at].classList.remove("active"); all[at].removeAttribute("aria-selected"); }
    at = at < 0 ? (step > 0 ? 0 : all.length - 1) : (at + step + all.length) % all.length;
    all[at].classList.add("active");
    all[at].setAttribute("aria-selected", "true");
    all[at].scrollIntoView({block: "nearest"});
  }

  function show(visible) {
    var list = document.getElementById(LIST);
    if (list) { list.classList.toggle("pg-suggest-hidden", !visible); }
  }

  document.addEventListener("keydown", function (event) {
    if (!event.target || event.target.id !== INPUT) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      show(true);
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      var active = items().filter(function (a) { return a.classList.contains("active"); })[0];
      if (active) {
        event.preventDefault();
        active.click();
        event.target.blur();
      }
    } else if (event.key === "Escape") {
      show(false);
    } else {
      show(true);
    }
  }, true);

  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.id === INPUT) { show(true); }
  });

  // Close the list when the user clicks elsewhere (a click on a suggestion navigates first).
  document.addEventListener("mousedown", function (event) {
    var box = event.target && event.target.closest ? event.target.closest(".pg-searchbox") : null;
    if (!box) { show(false); }
  });
})();
