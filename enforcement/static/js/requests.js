// Answer form: choosing an outcome fills in the articles usually cited for it, unless the officer has
// already written a basis of their own. No inline script (CSP): this file is loaded with `defer`.
(function () {
  "use strict";
  var select = document.querySelector("select[data-bases]");
  if (!select) { return; }
  var basis = document.getElementById(select.id.replace("outcome", "legal_basis"));
  var bases;
  try { bases = JSON.parse(select.getAttribute("data-bases")); } catch (e) { return; }
  if (!basis) { return; }
  var last = basis.value;
  select.addEventListener("change", function () {
    var suggested = bases[select.value] || "";
    if (basis.value === last || basis.value.trim() === "") {
      basis.value = suggested;
      last = suggested;
    }
  });
}());
