// Presentation mode: arrow keys, Page Up/Down and space move one section; Escape leaves.
// Progressive enhancement: without this script the page still snaps one section per screen.
(function () {
  "use strict";
  var screens = Array.prototype.slice.call(document.querySelectorAll(".cover, .bsec"));
  function current() {
    var best = 0;
    screens.forEach(function (el, i) {
      if (el.getBoundingClientRect().top <= window.innerHeight / 3) { best = i; }
    });
    return best;
  }
  function go(delta) {
    var next = Math.max(0, Math.min(screens.length - 1, current() + delta));
    screens[next].scrollIntoView({ behavior: "smooth", block: "start" });
    screens[next].focus({ preventScroll: true });
  }
  screens.forEach(function (el) { el.setAttribute("tabindex", "-1"); });
  document.addEventListener("keydown", function (event) {
    if (["ArrowDown", "ArrowRight", "PageDown", " "].indexOf(event.key) !== -1) { event.preventDefault(); go(1); }
    else if (["ArrowUp", "ArrowLeft", "PageUp"].indexOf(event.key) !== -1) { event.preventDefault(); go(-1); }
    else if (event.key === "Escape") {
      var back = document.body.getAttribute("data-back");
      if (back) { window.location.href = back; }
    }
  });
})();
