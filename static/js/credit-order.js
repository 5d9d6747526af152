/* The story form's Authors box credits authors in the order they were
 * chosen. The browser sends a <select multiple>'s choices in the order of
 * its <option> elements, and Select2 keeps an option where it was when it
 * is removed and chosen again: so a chosen option is moved to the end, and
 * the byline follows the order on screen. Without this script the order is
 * the one the authors were first added in. */
(function () {
  "use strict";

  // Once the page is parsed: the admin's jQuery may be loaded after this.
  document.addEventListener("DOMContentLoaded", function () {
    var $ = window.django && window.django.jQuery;
    if (!$) {
      return;
    }
    $(document).on("select2:select", "select[data-credit-order]", function (event) {
      var id = String(event.params.data.id);
      var option = $(this).find("option").filter(function () {
        return this.value === id;
      });
      option.detach().appendTo(this);
      $(this).trigger("change.select2");
    });
  });
})();
