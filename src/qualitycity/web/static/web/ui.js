/*
 * Small progressive enhancements for every page (loaded by base.html; no inline script, no eval,
 * styles only through classes and the `hidden` attribute, as the Content-Security-Policy wants):
 *
 *   [data-qc-picker]  a checkbox list (orgs.forms.PickerWidget): shows its search box and hides
 *                     the choices that do not contain the typed text (name, or data-search);
 *                     ticked choices stay shown.
 *   [data-qc-print]   a button that opens the browser's print dialog (the page's print stylesheet
 *                     lays it out on A4 landscape).
 *   [data-confirm]    on a <form>, or on the button that submits it: asks the question first and
 *                     sends nothing when the user cancels.
 *
 * This file holds no user-facing text: the questions and labels come from the page.
 */
(function () {
  "use strict";

  // A refused action shows the page it came from at the action's address (a 400, see
  // web.middleware.RefusedInputMiddleware): put the page's own address back, so that relative
  // links and forms work and a reload reads the page instead of sending the action again.
  var pageUrl = document.body && document.body.dataset.pageUrl;
  if (pageUrl && pageUrl !== location.pathname + location.search) {
    history.replaceState(null, "", pageUrl);
  }

  function normalise(text) {
    return (text || "").replace(/\s+/g, "").toLowerCase();
  }

  function items(root) {
    return Array.prototype.slice.call(root.querySelectorAll("[data-qc-picker-item]"));
  }

  function filter(root, search) {
    var wanted = normalise(search.value);
    var shown = 0;
    items(root).forEach(function (item) {
      var text = normalise(item.textContent + " " + (item.getAttribute("data-search") || ""));
      var match = !wanted || text.indexOf(wanted) !== -1;
      var box = item.querySelector("input[type=checkbox]");
      item.hidden = !match && !(box && box.checked); // a ticked choice stays in sight
      if (match) {
        shown += 1;
      }
    });
    var none = root.querySelector("[data-qc-picker-none]");
    if (none) {
      none.hidden = shown > 0;
    }
  }

  // Show the search box once there is something to filter (choices may arrive later: htmx).
  function refresh(root) {
    var search = root.querySelector("[data-qc-picker-search]");
    var count = items(root).length;
    var empty = root.querySelector("[data-qc-picker-empty]");
    if (empty && count > 0) {
      empty.hidden = true;
    }
    if (search && count > 1) {
      search.hidden = false;
      filter(root, search);
    }
  }

  function setUpPicker(root) {
    var search = root.querySelector("[data-qc-picker-search]");
    if (!search || search.getAttribute("data-qc-ready")) {
      refresh(root);
      return;
    }
    search.setAttribute("data-qc-ready", "1");
    search.addEventListener("input", function () {
      filter(root, search);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter filters; it does not send the form
      }
    });
    refresh(root);
  }

  function setUp(scope) {
    var roots = scope.querySelectorAll ? scope.querySelectorAll("[data-qc-picker]") : [];
    Array.prototype.forEach.call(roots, setUpPicker);
    var around = scope.closest ? scope.closest("[data-qc-picker]") : null;
    if (around) {
      setUpPicker(around); // new content in (or as) a picker: a choice added by htmx
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

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-qc-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

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
