// Progressive enhancement only: every page works without JavaScript. The main menu needs
// none (details/summary), so nothing here changes the layout after the first paint.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
