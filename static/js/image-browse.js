// The editor's image picker window: send the chosen image back to CKEditor and close.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-url]");
    if (!button) { return; }
    event.preventDefault();
    var root = document.getElementById("browse-root");
    var funcNum = root ? root.getAttribute("data-func-num") : "";
    var url = button.getAttribute("data-pick-url");
    var alt = button.getAttribute("data-pick-alt") || "";
    if (window.opener && window.opener.CKEDITOR && funcNum) {
      window.opener.CKEDITOR.tools.callFunction(funcNum, url, function () {
        var dialog = this.getDialog();
        if (dialog && dialog.getName() === "image2") {
          var field = dialog.getContentElement("info", "alt");
          if (field) { field.setValue(alt); }
        }
      });
      window.close();
    }
  });
})();
