// The main menu collapses into a menu button on small screens (progressive enhancement: without
// this script the button stays hidden and every link of the menu is shown).
(function () {
  "use strict";
  var button = document.querySelector(".site-menu-button");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!button || !menu) {
    return;
  }
  var header = button.closest(".site-header");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("site-nav--open", open);
  }

  header.classList.add("site-header--collapsible");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
