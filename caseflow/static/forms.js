/* caseflow forms: file fields in Vietnamese and within their size limit before sending, and date fields
   typed as dd/mm/yyyy whatever the browser's language. A local file (no inline script: the pages' CSP may
   forbid it); the server checks the same things again. */
(function () {
  "use strict";

  function wrapper(input) { return input.closest(".cf-file") || input.parentNode; }

  function showFile(input) {
    var box = wrapper(input);
    var name = box.querySelector(".cf-file-name");
    var error = box.querySelector(".cf-file-error");
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    var files = Array.prototype.slice.call(input.files || []);
    if (name) {
      name.textContent = files.length ? files.map(function (f) { return f.name; }).join(", ")
        : name.getAttribute("data-empty");
    }
    var tooLarge = max > 0 && files.some(function (f) { return f.size > max; });
    input.setCustomValidity(tooLarge ? input.getAttribute("data-too-large") : "");
    input.classList.toggle("is-invalid", tooLarge);
    if (error) {
      if (tooLarge) { error.textContent = input.getAttribute("data-too-large"); }
      error.classList.toggle("d-block", tooLarge || (!files.length && error.textContent.trim() !== ""));
    }
    return !tooLarge;
  }

  function maskDate(input, typed) {
    // digits only, the slashes put in as one types: 25122026 -> 25/12/2026; whoever types a slash or a dash
    // themselves (1/2/2026) is left alone
    if (typed === "/" || typed === "-" || input.getAttribute("data-typed-separator")) {
      input.setAttribute("data-typed-separator", "1");
      return;
    }
    if (!/^[\d\/]*$/.test(input.value)) { return; }
    var digits = input.value.replace(/\D/g, "").slice(0, 8);
    var out = digits.slice(0, 2);
    if (digits.length >= 2 && (digits.length > 2 || typed)) { out += "/" + digits.slice(2, 4); }
    if (digits.length >= 4 && (digits.length > 4 || typed)) { out += "/" + digits.slice(4); }
    input.value = out;
  }

  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t && t.classList && t.classList.contains("cf-file-input")) { showFile(t); }
  });
  document.addEventListener("input", function (event) {
    var t = event.target;
    if (t && t.getAttribute && t.getAttribute("data-date") === "dmy" && event.inputType === "insertText") {
      maskDate(t, event.data);
    }
  });
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll ? event.target.querySelectorAll(".cf-file-input") : [];
    for (var i = 0; i < inputs.length; i++) {
      if (!showFile(inputs[i])) {
        event.preventDefault();
        inputs[i].focus();
        return;
      }
    }
  }, true);
})();

/* A form refused after a POST is shown again at the case's own address (not /cases/<id>/fire/<trigger>), so a
   reload or a bookmark opens the case rather than posting again or answering 405. */
(function () {
  "use strict";
  var el = document.querySelector("[data-replace-url]");
  if (el && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", el.getAttribute("data-replace-url"));
  }
})();
