/* Small progressive enhancements; every page works without this file. */
(function () {
  function chars(text) { return Array.from(text.trim()).length; }
  function updateCount(input) {
    var out = document.querySelector('[data-count-for="' + input.id + '"]');
    if (!out) return;
    var max = parseInt(input.getAttribute("data-maxchars"), 10);
    var n = chars(input.value);
    out.textContent = n + " / " + max;
    out.classList.toggle("over", n > max);
  }
  function bind(root) {
    root.querySelectorAll("input[data-maxchars], textarea[data-maxchars]").forEach(function (input) {
      if (input.dataset.countBound) return;
      input.dataset.countBound = "1";
      input.addEventListener("input", function () { updateCount(input); });
      updateCount(input);
    });
    root.querySelectorAll("[data-max-select]").forEach(function (group) {
      if (group.dataset.limitBound) return;
      group.dataset.limitBound = "1";
      var max = parseInt(group.getAttribute("data-max-select"), 10);
      function apply() {
        var boxes = group.querySelectorAll('input[type="checkbox"]');
        var checked = group.querySelectorAll('input[type="checkbox"]:checked').length;
        boxes.forEach(function (box) { box.disabled = !box.checked && checked >= max; });
      }
      group.addEventListener("change", apply);
      apply();
    });
  }
  document.addEventListener("change", function (event) {
    var key = event.target.getAttribute && event.target.getAttribute("data-refresh");
    if (!key) return;
    var button = document.querySelector('[data-refresh-button="' + key + '"]');
    if (button) button.click();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  // An unpaid order's time left to pay: the server renders it, this ticks it, and at zero the page is
  // loaded again so it shows what the server now says (expired, or cancelled).
  function countdownText(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return h ? h + ":" + two(m) + ":" + two(s) : two(m) + ":" + two(s);
  }
  function startCountdowns(root) {
    var clocks = Array.prototype.slice.call(root.querySelectorAll("[data-countdown]"));
    if (!clocks.length) return;
    var started = Date.now();
    var timer = setInterval(function () {
      var elapsed = Math.floor((Date.now() - started) / 1000), done = false;
      clocks.forEach(function (el) {
        var left = Math.max(0, parseInt(el.getAttribute("data-countdown"), 10) - elapsed);
        el.textContent = countdownText(left);
        if (left === 0) done = true;
      });
      if (done) { clearInterval(timer); setTimeout(function () { window.location.reload(); }, 1000); }
    }, 1000);
  }
  // A link with data-dialog="id" opens that <dialog> (a confirmation); without script it opens the same
  // confirmation as a page.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));
      if (dialog && dialog.showModal) { event.preventDefault(); dialog.showModal(); }
      return;
    }
    var closer = event.target.closest && event.target.closest("[data-dialog-close]");
    if (closer && closer.closest("dialog")) closer.closest("dialog").close();
  });
  // A 4xx answer still replaces its target when the target or its trigger is marked data-swap-errors:
  // the message is the content (the live preview's "the cart would refuse this", a refused code request).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var marked = (target && target.hasAttribute("data-swap-errors")) || (elt && elt.hasAttribute("data-swap-errors"));
    if (status >= 400 && status < 500 && marked) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // A page with the sticky buy bar, shown again with errors, opens at the first one, clear of the bar.
  function showFirstError() {
    var error = document.querySelector(".buybar") && document.querySelector("form .field-error");
    if (error) error.scrollIntoView({ block: "center" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    bind(document);
    startCountdowns(document);
    showFirstError();
  });
  document.addEventListener("htmx:afterSwap", function (event) { bind(event.target); });
})();
