/* People picker: a search box that filters a list of checkboxes as one types, with or
   without Vietnamese accents, and counts the people chosen. Without JavaScript the list
   of checkboxes works on its own. No dependencies. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function setUp(picker) {
    if (picker.dataset.ready) return;
    picker.dataset.ready = "1";
    var search = picker.querySelector(".picker-search");
    var count = picker.querySelector(".picker-count");
    var options = Array.prototype.slice.call(picker.querySelectorAll(".picker-option"));
    options.forEach(function (o) { o.dataset.folded = fold(o.textContent); });
    function recount() {
      var n = picker.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = count.dataset.template.replace("#", n);
    }
    search.hidden = false;
    count.hidden = false;
    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      options.forEach(function (o) {
        var checked = o.querySelector("input").checked;
        var match = words.every(function (w) { return o.dataset.folded.indexOf(w) !== -1; });
        o.hidden = !(match || checked);
      });
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "Enter") e.preventDefault();  // Enter filters, it does not send the form
    });
    picker.addEventListener("change", recount);
    recount();
  }
  function all() {
    document.querySelectorAll("[data-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
