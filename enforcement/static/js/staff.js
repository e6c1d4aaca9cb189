// Staff pages: a button with data-confirm asks before its form is sent (no inline handlers: the CSP forbids them).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
