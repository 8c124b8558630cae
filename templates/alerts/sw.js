/* Vinilogy's push service worker: shows each alert the site pushes, opens its link on a click.
   The payload is {"title", "body", "url"} (alerts.channels.message_for). Nothing external. */
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {body: event.data ? event.data.text() : ""}; }
  event.waitUntil(self.registration.showNotification(data.title || "Vinilogy", {
    body: data.body || "",
    data: {url: data.url || "/alerts/"}
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/alerts/";
  event.waitUntil(clients.openWindow(url));
});
