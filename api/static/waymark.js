// Progressive enhancement only: every page works without this file.
// Move focus to the error summary so screen reader and keyboard users meet it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-testid='error-summary']");
  if (summary) {
    summary.focus();
  }
});
