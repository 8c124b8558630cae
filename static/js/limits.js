// A request refused by a rate limit (429) shows the server's sentence in place: just before
// what it was meant to update, replacing an earlier such sentence, instead of failing silently.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (!event.detail.xhr || event.detail.xhr.status !== 429) return;
  document.querySelectorAll(".limit-refused").forEach(function (old) {
    old.remove();
  });
  event.detail.shouldSwap = true;
  event.detail.isError = false;
  event.detail.swapOverride = "beforebegin";
});
