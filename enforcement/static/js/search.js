// The search page: on a wide screen the facets (筛选与排序) are shown open beside the results;
// on a phone they stay a closed drawer below the results. Without this script the drawer is simply closed.
(function () {
  "use strict";
  function place() {
    var drawer = document.getElementById("facets-drawer");
    if (drawer && window.matchMedia("(min-width: 721px)").matches) { drawer.open = true; }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", place); } else { place(); }
})();
