// The plan editor's progressive enhancement. Every form works without it (plain POST and a
// redirect); with it, a typed target, cost or budget code is read by the server as you type, and
// the 12-month schedule grid is walked with the arrow keys (Space toggles a month, as always).
(function () {
  "use strict";
  var root = document.querySelector("[data-check-url]");
  if (!root) {
    return;
  }
  var checkUrl = root.getAttribute("data-check-url");

  function outputFor(input) {
    var output = document.getElementById(input.id + "-reading");
    if (!output) {
      output = document.createElement("output");
      output.id = input.id + "-reading";
      output.className = "reading";
      output.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", output);
    }
    return output;
  }

  function check(input) {
    var output = outputFor(input);
    var url = checkUrl + "?jenis=" + encodeURIComponent(input.getAttribute("data-check")) +
      "&nilai=" + encodeURIComponent(input.value);
    var asked = input.value;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || input.value !== asked) {
          return;
        }
        output.textContent = answer.text;
        output.classList.toggle("reading--error", !answer.ok);
        input.setAttribute("aria-invalid", answer.ok ? "false" : "true");
      })
      .catch(function () { /* the server checks again on save */ });
  }

  var timers = new WeakMap();
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-check")) {
      return;
    }
    window.clearTimeout(timers.get(input));
    timers.set(input, window.setTimeout(function () { check(input); }, 200));
  });

  var STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") {
      return;
    }
    var grid = box.closest("[data-months-grid]");
    if (!grid) {
      return;
    }
    var boxes = Array.prototype.slice.call(grid.querySelectorAll("input[type=checkbox]"));
    var index = boxes.indexOf(box);
    var next = null;
    if (event.key in STEPS) {
      next = boxes[(index + STEPS[event.key] + boxes.length) % boxes.length];
    } else if (event.key === "Home") {
      next = boxes[0];
    } else if (event.key === "End") {
      next = boxes[boxes.length - 1];
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
})();
