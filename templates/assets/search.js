/* briefgen: the home page's search box. Loads Pagefind's UI (pagefind/, made by the build)
   when the site is served over HTTP; opened from a file, it says that search needs the site
   served. The page works without it: every briefing is linked from the lists. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var status = document.getElementById("search-status");
  if (!box || !status) {
    return;
  }
  var root = new URL(box.getAttribute("data-site-root") || "./", document.baseURI);
  var bundle = new URL("pagefind/", root);

  // Each page says what kind it is (base.html's page_type); show it before the title.
  function labelled(result) {
    if (result.meta && result.meta.type && result.meta.title) {
      result.meta.title = result.meta.type + " · " + result.meta.title;
    }
    return result;
  }

  function say(text) {
    status.textContent = text;
    status.hidden = false;
    box.hidden = true;
  }

  if (location.protocol === "file:") {
    say("Search needs the site to be served over HTTP (for example, run “python -m http.server” " +
        "in the output folder and open http://localhost:8000/). Opened from a file, the browser " +
        "cannot load the search index; browse by topic, side or person instead.");
    return;
  }
  status.textContent = "Loading search…";

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("pagefind-ui.css", bundle).href;
  document.head.appendChild(css);

  // The index is in shards (briefgen/search.py): the main bundle, and the shards it lists.
  function shards() {
    return fetch(new URL("shards.json", bundle).href)
      .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
      .then(function (data) {
        return (data.shards || []).map(function (name) {
          return { bundlePath: new URL(name + "/", bundle).pathname, baseUrl: root.pathname };
        });
      })
      .catch(function () { return []; });
  }

  var script = document.createElement("script");
  script.src = new URL("pagefind-ui.js", bundle).href;
  script.addEventListener("load", function () {
    shards().then(function (merged) {
      try {
        new window.PagefindUI({
          element: "#search",
          bundlePath: bundle.pathname,
          baseUrl: root.pathname,
          mergeIndex: merged,
          showSubResults: true,
          showImages: false,
          processResult: labelled
        });
        status.textContent = "";
        status.hidden = true;
      } catch (error) {
        say("Search is unavailable: " + error.message);
      }
    });
  });
  script.addEventListener("error", function () {
    say("Search is unavailable: its index (pagefind/) could not be loaded. " +
        "Browse by topic, side or person instead.");
  });
  document.head.appendChild(script);
}());
