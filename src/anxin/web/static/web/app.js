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
  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:afterSwap", function (event) { bind(event.target); });
})();
