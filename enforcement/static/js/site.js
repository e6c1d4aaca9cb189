// Public pages (a static file: the CSP allows no inline script). Everything here is an extra:
// without script the menu still folds (<details>), the link can be copied from its field, and the
// browser's own print works.
(function () {
  function cnDate(d) { return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日"; }

  // The print footer's date is the day of printing, even on a page served from a cache.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-print-date]").forEach(function (el) { el.textContent = cnDate(new Date()); });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector(".share-status");
    function say(text) { if (status) { status.textContent = text; } }

    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });

    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.dataset.copy);
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () { say("链接已复制"); };
        var manual = function () { field.focus(); field.select(); say("请长按或按 Ctrl+C 复制已选中的链接"); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, manual);
        } else {
          manual();
        }
      });
    });

    // The phone menu closes with Escape, back on its button.
    document.querySelectorAll("details.phone-menu").forEach(function (menu) {
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
  });
})();
