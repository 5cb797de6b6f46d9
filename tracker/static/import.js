// Import pages: the held changes' "agree to all" box on the preview, and the progress of a file being read.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("confirm-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll(".held-tick").forEach(function (box) { box.checked = all.checked; });
    });
  }
});

// Import progress: poll the status of a file being read and open the preview when it is ready.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  var stage = document.getElementById("import-stage");
  var stages = {read: "Đang đọc tệp…", rows: "Đang kiểm tra từng dòng…", write: "Đang ghi vào cơ sở dữ liệu…"};

  function show(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    holder.setAttribute("aria-valuenow", String(percent));
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.state !== "reading" && status.state !== "committing") {
          window.location.assign(box.dataset.previewUrl);
          return;
        }
        show(status.percent);
        stage.textContent = (stages[status.stage] || stages.read) +
          (status.total ? " " + status.done.toLocaleString("vi-VN") + " / " + status.total.toLocaleString("vi-VN") : "");
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  show(Number(bar.dataset.percent || 0));
  poll();
});
