// Staff pages (no inline handlers: the CSP forbids them).
// A button with data-confirm asks before its form is sent.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

document.addEventListener("DOMContentLoaded", function () {
  // The menu folds behind a button on a narrow screen (staff.css hides it when aria-expanded is false).
  // Without this script the button stays hidden and the menu stays open.
  var toggle = document.querySelector(".staff-menu-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
    });
  }
  // An error summary or a refusal takes the focus, so a screen reader reads it first (GOV.UK error summary).
  var problem = document.querySelector("[data-autofocus]");
  if (problem) {
    problem.focus();
  }
  // A link in the error summary moves to its field and focuses the input.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (input) {
        event.preventDefault();
        input.scrollIntoView({block: "center"});
        input.focus();
      }
    });
  });
});
