/* Flags pages: draw the stacked progress bars from data-segments="colour:percent:label|…"
   (no inline styles or scripts, so a strict Content-Security-Policy can forbid both). */
(function () {
  "use strict";
  document.querySelectorAll(".flags-progress[data-segments]").forEach(function (bar) {
    bar.getAttribute("data-segments").split("|").forEach(function (part) {
      if (!part) { return; }
      var bits = part.split(":");
      var segment = document.createElement("div");
      segment.className = "progress";
      segment.setAttribute("role", "progressbar");
      segment.setAttribute("aria-label", bits[2] || "");
      segment.setAttribute("aria-valuenow", bits[1]);
      segment.setAttribute("aria-valuemin", "0");
      segment.setAttribute("aria-valuemax", "100");
      segment.style.width = bits[1] + "%";
      var inner = document.createElement("div");
      inner.className = "progress-bar bg-" + bits[0];
      segment.appendChild(inner);
      bar.appendChild(segment);
    });
  });
})();
