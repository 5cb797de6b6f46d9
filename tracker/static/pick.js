// The pick page: the header box ticks or clears every asset of this page; the button counts what is ticked.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("pick-page");
  var shown = document.getElementById("pick-selected");
  if (!all) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#pick-list tbody input[name=asset_id]"));
  function update() {
    var ticked = boxes.filter(function (b) { return b.checked; }).length;
    if (shown) { shown.textContent = ticked.toLocaleString("vi-VN"); }
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
    update();
  });
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
});
