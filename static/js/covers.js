// Covers and the Spotify player, offline or online (templates/catalog/_cover.html, album page).
//
// Every cover image sits over the album's designed sleeve: an image that cannot load (a dead
// link, a host that is down, no network) is hidden, so the sleeve shows instead of a broken
// image. Error events do not bubble, hence one capture-phase listener on the document (it
// sees images added later by htmx too), and a sweep for images that failed before this ran.
//
// The Spotify player is only added once Spotify answers: until then, and for good when it
// does not, the album page shows a plain "Listen on Spotify" link.
(function () {
  "use strict";
  var PROBE_TIMEOUT_MS = 5000;

  function isCover(element) {
    return element && element.tagName === "IMG" && element.parentElement && element.parentElement.classList.contains("cover");
  }

  function hide(img) {
    img.classList.add("cover-failed");
  }

  document.addEventListener("error", function (event) {
    if (isCover(event.target)) hide(event.target);
  }, true);

  function sweep(root) {
    root.querySelectorAll(".cover > img").forEach(function (img) {
      // A lazy image not yet asked for is not complete; one that was asked for and failed is.
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) hide(img);
    });
  }

  function addPlayer(slot) {
    var frame = document.createElement("iframe");
    frame.className = "spotify-embed";
    frame.src = slot.dataset.embed;
    frame.title = slot.dataset.title || "";
    frame.height = "352";
    frame.loading = "lazy";
    frame.allow = "encrypted-media; clipboard-write; fullscreen; picture-in-picture";
    slot.insertBefore(frame, slot.firstChild);
    slot.classList.add("has-player");
  }

  // A no-cors request resolves (with an opaque answer) whenever Spotify can be reached and
  // rejects when it cannot: the player is added only in the first case.
  function players(root) {
    root.querySelectorAll(".spotify[data-embed]:not(.probed)").forEach(function (slot) {
      slot.classList.add("probed");
      if (!window.fetch || navigator.onLine === false) return;
      var controller = window.AbortController ? new AbortController() : null;
      var timer = setTimeout(function () { if (controller) controller.abort(); }, PROBE_TIMEOUT_MS);
      fetch(slot.dataset.embed, { mode: "no-cors", credentials: "omit", signal: controller && controller.signal })
        .then(function () { addPlayer(slot); })
        .catch(function () { /* the link alone stays */ })
        .then(function () { clearTimeout(timer); });
    });
  }

  function wire(root) {
    sweep(root);
    players(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { wire(document); });
  } else {
    wire(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { wire(event.target); });
})();
