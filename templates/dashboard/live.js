// Live parts: when the server says what they show changed (calls, failed tool calls, today's
// appointments), fetch this page again and swap in its live parts. Without JavaScript, or without EventSource, the page simply stays as loaded.
(function () {
  "use strict";
  if (!window.EventSource || !document.querySelector("[data-live]")) return;
  var events = new EventSource("/dashboard/events");
  events.addEventListener("changed", function () {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (old) {
          var next = old.id && fresh.getElementById(old.id);
          if (next) old.replaceWith(next);
        });
      })
      .catch(function () { /* the next change tries again */ });
  });
})();
