/*
 * Small progressive enhancements for every page (loaded by base.html; no inline script, no eval,
 * styles only through classes and the `hidden` attribute, as the Content-Security-Policy wants):
 *
 *   [data-qc-picker]  a checkbox list (orgs.forms.PickerWidget): shows its search box and hides
 *                     the choices that do not contain the typed text (name, or data-search).
 *   [data-confirm]    on a <form>, or on the button that submits it: asks the question first and
 *                     sends nothing when the user cancels.
 *
 * This file holds no user-facing text: the questions and labels come from the page.
 */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").replace(/\s+/g, "").toLowerCase();
  }

  function setUpPicker(root) {
    var search = root.querySelector("[data-qc-picker-search]");
    if (!search || search.getAttribute("data-qc-ready")) {
      return;
    }
    search.setAttribute("data-qc-ready", "1");
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-qc-picker-item]"));
    var none = root.querySelector("[data-qc-picker-none]");
    if (items.length < 2) {
      return; // nothing to filter
    }
    var texts = items.map(function (item) {
      return normalise(item.textContent + " " + (item.getAttribute("data-search") || ""));
    });
    search.hidden = false;
    search.addEventListener("input", function () {
      var wanted = normalise(search.value);
      var shown = 0;
      items.forEach(function (item, i) {
        var match = !wanted || texts[i].indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      if (none) {
        none.hidden = shown > 0;
      }
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter filters; it does not send the form
      }
    });
  }

  function setUp(scope) {
    var roots = scope.querySelectorAll ? scope.querySelectorAll("[data-qc-picker]") : [];
    Array.prototype.forEach.call(roots, setUpPicker);
    if (scope.matches && scope.matches("[data-qc-picker]")) {
      setUpPicker(scope);
    }
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var button = event.submitter;
      var question =
        (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener("htmx:load", function (event) {
    setUp(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUp(document);
    });
  } else {
    setUp(document);
  }
})();
