/* The event form in the back office:
 * - Wagtail's rich-text editor (Draftail) renders its editable area without an accessible name (a
 *   field's label would point at the hidden input that carries the content, so the form renders
 *   none: wagtail_hooks.RichTextEditor). Each editable area is named after its panel's heading
 *   (or its field's label), as soon as it appears.
 * - The icon-only buttons of the programme's sessions (delete) carry their name in a title only;
 *   it becomes their aria-label too. */
(function () {
  "use strict";

  function label(area) {
    if (area.hasAttribute("aria-labelledby") || area.hasAttribute("aria-label")) return;
    var field = area.closest("[data-field]");
    var input = field ? field.querySelector("[data-draftail-input]") : null;
    var text = input && input.id ? document.querySelector('label[for="' + input.id + '"]') : null;
    if (!text) {
      var panel = area.closest("[data-panel]");
      text = panel ? panel.querySelector("[data-panel-heading]") : null;
    }
    if (!text || !text.id) return;
    area.setAttribute("aria-labelledby", text.id);
  }

  function name(button) {
    if (!button.hasAttribute("aria-label") && button.title && !button.textContent.trim()) {
      button.setAttribute("aria-label", button.title);
    }
  }

  function labelAll(root) {
    var scope = root.querySelectorAll ? root : document;
    scope.querySelectorAll(".public-DraftEditor-content").forEach(label);
    scope.querySelectorAll("button.text-replace[title]").forEach(name);
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) { if (node.nodeType === 1) labelAll(node); });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { labelAll(document); });
})();
