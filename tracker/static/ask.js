// Ask first (tracker/main/ask_first.py): a form with data-ask shows its question in a dialog and is
// sent with confirmed=1 only on "yes". Without this script the server asks on a page of its own.
document.addEventListener("DOMContentLoaded", function () {
  var dialog = document.getElementById("ask-dialog");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var text = document.getElementById("ask-dialog-question");
  var pending = null;
  // The question is the pressed button's data-ask, else the form's: one form may hold a button that
  // asks ("Bỏ tất cả") beside one that does not ("Bỏ các tài sản đã chọn").
  document.querySelectorAll("form[data-ask], form:has(button[data-ask])").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var confirmed = form.querySelector("input[name=confirmed]");
      if (confirmed && confirmed.value === "1") { return; }
      var submitter = event.submitter || null;
      var question = (submitter && submitter.getAttribute("data-ask")) || form.getAttribute("data-ask");
      if (!question) { return; }
      event.preventDefault();
      pending = { form: form, submitter: submitter };
      text.textContent = question;
      dialog.showModal();
      document.getElementById("ask-dialog-no").focus();
    });
  });
  dialog.addEventListener("close", function () {
    var chosen = pending;
    pending = null;
    if (!chosen || dialog.returnValue !== "yes") { return; }
    var confirmed = chosen.form.querySelector("input[name=confirmed]");
    if (!confirmed) {
      confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      chosen.form.appendChild(confirmed);
    }
    confirmed.value = "1";
    if (chosen.submitter && chosen.submitter.name) {  // keep the pressed button's name=value
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = chosen.submitter.name;
      pressed.value = chosen.submitter.value;
      chosen.form.appendChild(pressed);
    }
    chosen.form.submit();
  });
});
