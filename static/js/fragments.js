// Album-page fragments (tracklist, pressings, prices) load on their own; when one fails, it
// shows "Couldn't load …" with a Retry button instead of spinning forever. The server's own
// error partial is used when it sent one (header X-Fragment-Error), a generic one otherwise.
(function () {
  function fragmentOf(element) {
    return element && element.closest ? element.closest("[data-fragment]") : null;
  }

  function showError(event) {
    var box = fragmentOf(event.detail.elt);
    if (!box) return;
    var xhr = event.detail.xhr;
    box.setAttribute("aria-busy", "false");
    if (xhr && xhr.getResponseHeader && xhr.getResponseHeader("X-Fragment-Error")) {
      box.innerHTML = xhr.responseText;
      return;
    }
    box.innerHTML = '<div class="fragment-error" role="alert"><p></p><button type="button" data-fragment-retry>Retry</button></div>';
    box.querySelector("p").textContent = "Couldn't load " + box.getAttribute("data-fragment") + ".";
  }

  function retry(event) {
    var button = event.target.closest && event.target.closest("[data-fragment-retry]");
    var box = fragmentOf(button);
    if (!box) return;
    box.setAttribute("aria-busy", "true");
    box.innerHTML = '<p class="loading" role="status"></p>';
    box.querySelector("p").textContent = box.getAttribute("data-loading") || "Loading…";
    htmx.trigger(box, "retry");
  }

  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  document.addEventListener("htmx:afterSwap", function (event) {
    var box = fragmentOf(event.detail.target);
    if (box) box.setAttribute("aria-busy", "false");
  });
  document.addEventListener("click", retry);
})();
