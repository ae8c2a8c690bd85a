/* Behaviour every page may use, declared by attributes instead of inline handlers (the
 * Content-Security-Policy allows no inline script):
 *   <form data-confirm="Sure?">  asks before submitting;
 *   <select data-autosubmit>      submits its form when changed. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
})();
