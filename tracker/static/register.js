// Register filters: choosing a value in a select applies it at once (the button stays for keyboards).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      var page = form.querySelector("input[name=page]");
      if (page) { page.remove(); }
      form.submit();
    });
  });
});
