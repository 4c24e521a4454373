/*
 * 责任分工: the filter above a list of directory entries. An <input class="qc-pick-filter"
 * data-target="ID"> hides the rows (.qc-pick[data-name]) of #ID whose name does not contain what
 * was typed; ticked rows stay visible. This file holds no user-facing text.
 */
(function () {
  "use strict";

  function filter(input) {
    var list = document.getElementById(input.getAttribute("data-target"));
    if (!list) return;
    var query = input.value.trim();
    list.querySelectorAll(".qc-pick[data-name]").forEach(function (row) {
      var ticked = row.querySelector("input:checked") !== null;
      var match = !query || row.getAttribute("data-name").indexOf(query) !== -1;
      row.hidden = !(match || ticked);
    });
  }

  document.querySelectorAll(".qc-pick-filter").forEach(function (input) {
    input.addEventListener("input", function () {
      filter(input);
    });
  });
})();
