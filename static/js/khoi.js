// Khối's own script, loaded from a file so that the Content-Security-Policy can forbid
// inline scripts. Forms with data-confirm="question" ask before they are sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
