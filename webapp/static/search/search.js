// Progressive enhancement only: every link and form works without this file.
// "/" focuses the search box; typing searches after a pause (the page is fetched with the last word
// read as a prefix, its results swapped in, the URL updated); facets keep their "show more" state
// across those updates.
(function () {
  "use strict";
  var DELAY_MS = 350;

  function typingIn(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingIn(document.activeElement)) return;
    var box = document.getElementById("q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Facet values look like checkboxes, so Space toggles them as it would a checkbox (Enter follows the link anyway).
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== " " || event.ctrlKey || event.metaKey || event.altKey || !target.classList) return;
    if (!target.classList.contains("facet-value")) return;
    event.preventDefault();
    target.click();
  });

  // The document page: step through the marked words with the buttons or the n and p keys.
  var matchNav = document.querySelector("[data-match-nav]");
  var marks = document.querySelectorAll(".doc-body mark");
  if (matchNav && marks.length) {
    var current = -1;
    var position = matchNav.querySelector("[data-match-position]");
    var step = function (by) {
      if (current >= 0) marks[current].classList.remove("current");
      current = (current + by + marks.length) % marks.length;
      marks[current].classList.add("current");
      marks[current].scrollIntoView({ block: "center" });
      position.textContent = (current + 1) + " / " + marks.length;
    };
    matchNav.hidden = false;
    matchNav.querySelectorAll("[data-match-step]").forEach(function (button) {
      button.addEventListener("click", function () { step(Number(button.getAttribute("data-match-step"))); });
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(document.activeElement)) return;
      if (event.key === "n" || event.key === "p") {
        event.preventDefault();
        step(event.key === "n" ? 1 : -1);
      }
    });
  }

  var form = document.querySelector("form[data-live-search]");
  var box = document.getElementById("q");
  if (!form || !box || !window.fetch || !window.DOMParser || !document.getElementById("search-body")) return;

  var timer = null;
  var controller = null;

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    var query = params.toString();
    return form.action.split("?")[0] + (query ? "?" + query : "");
  }

  function openFacets() {
    var open = {};
    document.querySelectorAll("details[data-facet-more][open]").forEach(function (details) {
      open[details.getAttribute("data-facet-more")] = true;
    });
    return open;
  }

  function swap(html, url) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var body = fresh.getElementById("search-body");
    var status = fresh.getElementById("results-status");
    if (!body || !status) return;
    var open = openFacets();
    body.querySelectorAll("details[data-facet-more]").forEach(function (details) {
      if (open[details.getAttribute("data-facet-more")]) details.open = true;
    });
    document.getElementById("search-body").replaceWith(document.adoptNode(body));
    // Update the live region's text in place so that screen readers announce the new count.
    document.getElementById("results-status").textContent = status.textContent.replace(/\s+/g, " ").trim();
    document.title = fresh.title;
    history.replaceState(null, "", url);
  }

  function search() {
    var url = formUrl();
    var typing = url + (url.indexOf("?") < 0 ? "?" : "&") + "as_you_type=1";
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(typing, { signal: controller.signal, headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) swap(html, url); })
      .catch(function () { /* aborted or offline: the form still submits normally */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY_MS);
  });
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    if (controller) controller.abort();
  });
})();
