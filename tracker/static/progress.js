// A background job's progress (an upload being read or written, an export being made): poll its
// status and open the result page when the job is no longer busy. The texts come from the page
// (data-stage-*, data-waiting), so they follow the page's language.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-job-progress]");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  var stage = box.querySelector("[data-job-stage]");
  var busy = ["reading", "committing", "running"];
  var failures = 0;

  function show(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    holder.setAttribute("aria-valuenow", String(percent));
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        if (busy.indexOf(status.state) < 0) {
          window.location.assign(box.dataset.doneUrl);
          return;
        }
        show(status.percent);
        var text = status.waiting ? box.dataset.waiting : (box.dataset["stage" + (status.stage || "").replace(/^./, function (c) { return c.toUpperCase(); })] || box.dataset.stageRead);
        stage.textContent = text + (!status.waiting && status.total ?
          " " + status.done.toLocaleString("vi-VN") + " / " + status.total.toLocaleString("vi-VN") : "");
        window.setTimeout(poll, 500);
      })
      .catch(function () {
        failures += 1;
        if (failures >= 5 && box.dataset.offline) { stage.textContent = box.dataset.offline; }
        window.setTimeout(poll, 2000);
      });
  }

  show(Number(bar.dataset.percent || 0));
  poll();
});
