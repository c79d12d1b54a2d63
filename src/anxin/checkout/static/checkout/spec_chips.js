/* The product page's spec chips: keep the sku_id field on the chosen combination, disable the values that lead
   to nothing buyable given the other rows, show the chosen SKU's price, stock and picture. Clicking a chosen
   chip again clears its row, so a buyer can leave a dead end. Without this file the chips post as radios. */
(function () {
  function setUp(box) {
    var dataNode = document.getElementById("spec-data");
    if (!dataNode || box.dataset.specBound) return;
    box.dataset.specBound = "1";
    var data = JSON.parse(dataNode.textContent);
    var rows = data.dimensions.length;
    var inputs = Array.prototype.slice.call(box.querySelectorAll("input[data-spec-row]"));
    var skuField = box.querySelector("[data-spec-sku]");
    var summary = box.querySelector("[data-spec-summary]");
    var image = box.querySelector("[data-spec-image]");

    function choice() {
      var picked = [];
      for (var i = 0; i < rows; i++) picked.push(null);
      inputs.forEach(function (input) {
        if (input.checked) picked[parseInt(input.dataset.specRow, 10)] = parseInt(input.value, 10);
      });
      return picked;
    }
    function open(picked, row, value) {
      return data.skus.some(function (sku) {
        if (!sku.buyable || sku.values[row] !== value) return false;
        return picked.every(function (chosen, i) { return chosen === null || i === row || sku.values[i] === chosen; });
      });
    }
    function rowName(i) {
      var label = box.querySelectorAll(".spec-row-name")[i];
      return label ? label.textContent.trim() : "";
    }
    function chipText(input) {
      var label = box.querySelector('label[for="' + input.id + '"]');
      return label ? label.textContent.trim() : "";
    }
    function render() {
      var picked = choice();
      inputs.forEach(function (input) {
        var row = parseInt(input.dataset.specRow, 10);
        var ok = open(picked, row, parseInt(input.value, 10));
        input.disabled = !ok && !input.checked;
        var label = box.querySelector('label[for="' + input.id + '"]');
        if (label) label.classList.toggle("is-off", !ok);
      });
      var missing = [];
      picked.forEach(function (v, i) { if (v === null) missing.push(rowName(i)); });
      var sku = missing.length ? null : data.skus.filter(function (s) {
        return s.values.every(function (v, i) { return v === picked[i]; });
      })[0];
      skuField.value = sku ? sku.id : "";
      if (missing.length) {
        summary.textContent = box.dataset.textChoose.replace("{rows}", missing.join(box.dataset.textJoiner));
      } else if (sku) {
        var names = inputs.filter(function (i) { return i.checked; }).map(function (input) {
          return rowName(parseInt(input.dataset.specRow, 10)) + ": " + chipText(input);
        }).join(" · ");
        var stock = sku.stock > 0 ? box.dataset.textStock.replace("{n}", sku.stock) : box.dataset.textSoldout;
        summary.textContent = names + " · " + sku.price + " · " + stock;
      }
      var url = sku && sku.image ? sku.image : "";
      image.dataset.image = url;
      if (url) { image.src = url; image.hidden = false; } else { image.hidden = true; }
    }
    inputs.forEach(function (input) {
      var label = box.querySelector('label[for="' + input.id + '"]');
      if (label) {
        label.addEventListener("click", function (event) {
          if (!input.checked || input.disabled) return;
          event.preventDefault();
          input.checked = false;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      }
      input.addEventListener("change", render);
    });
    render();
  }
  function bindAll() { document.querySelectorAll("[data-spec-chooser]").forEach(setUp); }
  document.addEventListener("DOMContentLoaded", bindAll);
  if (document.readyState !== "loading") bindAll();
})();
