/* Language switch: 中文 / English / both, remembered in localStorage.
   语言切换：中文、英文或双语，记在 localStorage 中，所有页面通用。
   The blocks carry lang-zh / lang-en classes from the build
   (tools/site/gancourse_site.py); CSS hides the other language. */
(function () {
  "use strict";
  var KEY = "gancourse-lang";
  var MODES = ["zh", "en", "both"];

  function current() {
    var m = document.documentElement.getAttribute("data-lang");
    return MODES.indexOf(m) >= 0 ? m : "both";
  }

  function apply(mode) {
    if (MODES.indexOf(mode) < 0) { mode = "both"; }
    document.documentElement.setAttribute("data-lang", mode);
    var buttons = document.querySelectorAll("[data-lang-mode]");
    for (var i = 0; i < buttons.length; i++) {
      var on = buttons[i].getAttribute("data-lang-mode") === mode;
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function choose(mode) {
    try { localStorage.setItem(KEY, mode); } catch (e) { /* private mode */ }
    apply(mode);
  }

  window.gancourseSetLanguage = choose;

  // Navigation entries are plain text ("02 深度卷积生成对抗网络 / DCGAN"):
  // cut them like the page headings, keeping a number or "name — " prefix.
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var NAV = ".sidebar-tree a.reference, .toc-tree a.reference, " +
    ".sidebar-brand-text, .related-pages .title";

  function span(cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function splitEntry(el) {
    if (el.children.length) { return; }
    var text = el.textContent;
    var at = text.lastIndexOf(" / ");
    if (at < 0) { return; }
    var zh = text.slice(0, at);
    var en = text.slice(at + 3);
    if (!HAN.test(zh) || HAN.test(en) || !/[A-Za-z]/.test(en)) { return; }
    var dash = zh.indexOf(" — ");
    var lead = dash >= 0 && !HAN.test(zh.slice(0, dash)) ?
      zh.slice(0, dash + 3) : zh.match(/^[\d\s.]*/)[0];
    el.textContent = "";
    el.appendChild(document.createTextNode(lead));
    el.appendChild(span("lang-zh", zh.slice(lead.length)));
    el.appendChild(span("lang-sep", " / "));
    el.appendChild(span("lang-en", en));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var entries = document.querySelectorAll(NAV);
    for (var j = 0; j < entries.length; j++) { splitEntry(entries[j]); }
    var buttons = document.querySelectorAll("[data-lang-mode]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        choose(event.currentTarget.getAttribute("data-lang-mode"));
      });
    }
    apply(current());
  });

  // Another tab changed the language: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) { apply(event.newValue); }
  });
})();
