// The receipt's print button (a file, not an inline handler: the Content-Security-Policy runs scripts from
// this site's files only).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-receipt");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
