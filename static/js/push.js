/* "Send alerts to this browser" (alerts settings page): ask permission, register the site's
   service worker (/sw.js), subscribe with the site's VAPID public key and hand the subscription
   to the JSON API (POST /api/alerts/channels). Every sentence comes from the page (translated). */
(function () {
  "use strict";
  var box = document.getElementById("push-box");
  if (!box) { return; }
  var button = document.getElementById("push-subscribe");
  var status = document.getElementById("push-status");
  function say(key) { status.textContent = status.dataset[key] || ""; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) { say("unsupported"); return; }
  if (Notification.permission === "denied") { say("denied"); return; }
  button.hidden = false;

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function browserName() {
    var agent = navigator.userAgent, names = ["Firefox", "Edg", "OPR", "Chrome", "Safari"];
    for (var i = 0; i < names.length; i++) {
      if (agent.indexOf(names[i] + "/") >= 0) { return (names[i] === "Edg" ? "Edge" : names[i] === "OPR" ? "Opera" : names[i]) + (/Mobile|Android|iPhone/.test(agent) ? " (mobile)" : ""); }
    }
    return "";
  }
  function save(subscription) {
    var json = subscription.toJSON();
    return fetch(box.dataset.subscribeUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf},
      body: JSON.stringify({kind: "webpush", endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth, name: browserName()})
    });
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("denied"); }
      return navigator.serviceWorker.register(box.dataset.workerUrl, {scope: "/"});
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey)});
    }).then(save).then(function (response) {
      if (!response.ok) { throw new Error("failed"); }
      say("done");
    }).catch(function (error) {
      say(error && error.message === "denied" ? "denied" : "failed");
      button.disabled = false;
    });
  });
}());
