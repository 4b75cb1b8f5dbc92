/* Progressive enhancement of the knowledge forms; without JavaScript the plain fields work.
 *
 * 1. textarea[data-rich-text] becomes a simple editor (Squire, loaded before this file) with a
 *    toolbar of real buttons: bold, italic, bulleted and numbered list, link, remove link. The
 *    textarea stays in the form (hidden) and always holds the editor's HTML; the server cleans
 *    it again (nh3), so nothing here is trusted. Button names come from data-label-* attributes.
 * 2. [data-checkbox-group] gets a filter box: typing hides the cities that do not match, and a
 *    live line says how many are shown and chosen.
 */
(function () {
  "use strict";

  var ALLOWED = { P: 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, UL: 1, OL: 1, LI: 1, A: 1, H2: 1, H3: 1, BLOCKQUOTE: 1 };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1 };

  /* Pasted HTML: only the allowed tags, links with http(s)/mailto only, no other attributes. */
  function clean(node) {
    Array.prototype.slice.call(node.childNodes).forEach(function (child) {
      if (child.nodeType === 8) { child.remove(); return; }
      if (child.nodeType !== 1) { return; }
      if (DROP[child.nodeName]) { child.remove(); return; }
      clean(child);
      if (!ALLOWED[child.nodeName]) {
        while (child.firstChild) { child.parentNode.insertBefore(child.firstChild, child); }
        child.remove();
        return;
      }
      Array.prototype.slice.call(child.attributes).forEach(function (attribute) {
        var keep = child.nodeName === "A" && attribute.name === "href" && /^(https?:|mailto:)/i.test(attribute.value.trim());
        if (!keep) { child.removeAttribute(attribute.name); }
      });
    });
  }

  function sanitizeToDOMFragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    clean(template.content);
    return document.importNode(template.content, true);
  }

  function plainToHtml(text) {
    if (/<[a-z][^>]*>/i.test(text)) { return text; }
    var escape = function (s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); };
    return text.split(/\n\s*\n/).filter(function (p) { return p.trim(); }).map(function (p) {
      return "<p>" + escape(p.trim()).replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }

  function button(label, command, pressedTag) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "utrecht-button utrecht-button--secondary-action rich-text__button rich-text__button--" + command;
    element.textContent = label;
    element.dataset.command = command;
    if (pressedTag) {
      element.dataset.tag = pressedTag;
      element.setAttribute("aria-pressed", "false");
    }
    return element;
  }

  function enhance(textarea) {
    if (!window.Squire || textarea.dataset.richTextReady) { return; }
    textarea.dataset.richTextReady = "true";
    var data = textarea.dataset;
    var wrapper = document.createElement("div");
    wrapper.className = "rich-text";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-text__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", data.labelToolbar || "Text formatting");
    toolbar.setAttribute("aria-controls", textarea.id + "_editor");
    [
      button(data.labelBold || "Bold", "bold", "STRONG"),
      button(data.labelItalic || "Italic", "italic", "EM"),
      button(data.labelBullets || "Bulleted list", "bullets", "UL"),
      button(data.labelNumbers || "Numbered list", "numbers", "OL"),
      button(data.labelLink || "Link", "link", "A"),
      button(data.labelUnlink || "Remove link", "unlink")
    ].forEach(function (b) { toolbar.appendChild(b); });
    var area = document.createElement("div");
    area.className = "rich-text__area utrecht-textarea";
    area.id = textarea.id + "_editor";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    var label = document.getElementById(textarea.id + "_label");
    if (label) { area.setAttribute("aria-labelledby", label.id); }
    ["aria-describedby", "aria-required", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) { area.setAttribute(name, textarea.getAttribute(name)); }
    });
    area.style.minHeight = (parseInt(textarea.getAttribute("rows") || "6", 10) * 1.5) + "em";
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea);
    textarea.hidden = true;
    textarea.setAttribute("data-testid", "rich-text-source");

    var editor = new window.Squire(area, { blockTag: "P", sanitizeToDOMFragment: sanitizeToDOMFragment });
    editor.setHTML(plainToHtml(textarea.value || ""));
    var sync = function () { textarea.value = editor.getHTML(); };
    editor.addEventListener("input", sync);
    editor.addEventListener("pathChange", function () {
      sync();
      Array.prototype.forEach.call(toolbar.querySelectorAll("[aria-pressed]"), function (b) {
        var on = b.dataset.tag === "STRONG" ? (editor.hasFormat("STRONG") || editor.hasFormat("B"))
          : b.dataset.tag === "EM" ? (editor.hasFormat("EM") || editor.hasFormat("I")) : editor.hasFormat(b.dataset.tag);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
    if (label) { label.addEventListener("click", function (event) { event.preventDefault(); editor.focus(); }); }
    // The error summary links to the field: lead it to the editor.
    Array.prototype.forEach.call(document.querySelectorAll('a[href="#' + textarea.id + '"]'), function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); editor.focus(); });
    });
    toolbar.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target) { return; }
      var command = target.dataset.command;
      var pressed = target.getAttribute("aria-pressed") === "true";
      if (command === "bold") {
        if (pressed) { editor.changeFormat(null, { tag: "STRONG" }); editor.changeFormat(null, { tag: "B" }); }
        else { editor.changeFormat({ tag: "STRONG" }, null); }
      } else if (command === "italic") {
        if (pressed) { editor.changeFormat(null, { tag: "EM" }); editor.changeFormat(null, { tag: "I" }); }
        else { editor.changeFormat({ tag: "EM" }, null); }
      } else if (command === "bullets") {
        if (pressed) { editor.removeList(); } else { editor.makeUnorderedList(); }
      } else if (command === "numbers") {
        if (pressed) { editor.removeList(); } else { editor.makeOrderedList(); }
      } else if (command === "link") {
        var url = window.prompt(data.promptLink || "https://", "https://");
        if (url && /^(https?:\/\/|mailto:)/i.test(url.trim())) { editor.makeLink(url.trim()); }
      } else if (command === "unlink") {
        editor.removeLink();
      }
      sync();
      editor.focus();
    });
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filterable(group) {
    var box = group.querySelector("[data-checkbox-filter]");
    if (!box || group.dataset.filterReady) { return; }
    group.dataset.filterReady = "true";
    var input = box.querySelector("input");
    var count = box.querySelector("[data-checkbox-count]");
    var options = Array.prototype.slice.call(group.querySelectorAll("[data-checkbox-option]"));
    var update = function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      var chosen = 0;
      options.forEach(function (option) {
        var match = !wanted || fold(option.textContent).indexOf(wanted) !== -1;
        option.hidden = !match;
        if (match) { shown += 1; }
        if (option.querySelector("input").checked) { chosen += 1; }
      });
      count.textContent = (count.dataset.template || "{shown}/{total}")
        .replace("{shown}", shown).replace("{total}", options.length).replace("{chosen}", chosen);
    };
    box.hidden = false;
    input.addEventListener("input", update);
    group.addEventListener("change", update);
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-rich-text]"), enhance);
    Array.prototype.forEach.call(document.querySelectorAll("[data-checkbox-group]"), filterable);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
