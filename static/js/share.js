// Progressive enhancement for the share controls: the plain links work
// without this script; it adds the system share sheet and "Copy link".
(function () {
  "use strict";

  document.querySelectorAll(".share__toggle").forEach(function (toggle) {
    if (typeof navigator.share !== "function") return;
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      navigator
        .share({ title: toggle.dataset.shareTitle, url: toggle.dataset.shareUrl })
        .catch(function () {
          // Cancelled or refused: show the plain links instead.
          toggle.parentElement.open = true;
        });
    });
  });

  if (!navigator.clipboard) return;
  document.querySelectorAll(".share-copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = button.closest("ul").nextElementSibling;
      navigator.clipboard.writeText(button.dataset.shareUrl).then(
        function () {
          status.textContent = "Link copied";
        },
        function () {
          status.textContent = "Couldn’t copy the link; copy it from the address bar.";
        }
      );
    });
  });
})();
