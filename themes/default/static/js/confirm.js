// Destructive staff actions ask first: a form with data-confirm submits only
// after the staff member agrees. Without JavaScript the form submits as is
// (the action still needs the staff login, CSRF token and permission).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
