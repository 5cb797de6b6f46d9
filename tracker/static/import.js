// Import preview: the held changes' "agree to all" box (the progress bar is progress.js).
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("confirm-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll(".held-tick").forEach(function (box) { box.checked = all.checked; });
    });
  }
});
