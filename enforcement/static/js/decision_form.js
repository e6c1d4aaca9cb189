// Decision form: the power list becomes searchable (Tom Select, vendored) and choosing a power fills in
// its legal basis (依据) from the option's data-basis, unless the officer has written their own.
// Without JavaScript the plain multiple <select> still works.
(function () {
  "use strict";

  function basisOf(select) {
    var lines = [];
    Array.prototype.forEach.call(select.selectedOptions, function (option) {
      (option.dataset.basis || "").split("\n").forEach(function (line) {
        if (line && lines.indexOf(line) < 0) { lines.push(line); }
      });
    });
    return lines.join("\n");
  }

  function wire(select) {
    var target = document.getElementById(select.dataset.basisTarget || "basis");
    var filled = basisOf(select);  // the text the chosen powers give: any other text is the officer's own, kept
    function fill() {
      if (!target) { return; }
      if (target.value.trim() !== "" && target.value !== filled) { return; }
      filled = basisOf(select);
      target.value = filled;
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }
    select.addEventListener("change", fill);
    if (typeof window.TomSelect === "function") {
      var ts = new window.TomSelect(select, {
        plugins: ["remove_button"],
        maxOptions: null,
        hidePlaceholder: true,
        placeholder: "输入编码或名称搜索职权",
        render: { no_results: function () { return '<div class="no-results">没有匹配的职权</div>'; } }
      });
      ts.on("change", fill);
      // Tom Select points the <label> at its own search box; the original (now hidden) list keeps its name.
      var label = document.getElementById(select.id + "-label");
      if (label) { select.setAttribute("aria-labelledby", label.id); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-searchable]"), wire);
  });
}());
