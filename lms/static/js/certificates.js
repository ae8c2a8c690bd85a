// Issue certificates in batches and show progress; without JavaScript the form posts at once.
(function () {
  "use strict";
  var form = document.getElementById("issue-form");
  if (!form || !window.fetch) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var ids = Array.prototype.map.call(
      form.querySelectorAll("input[name=decision]:checked"), function (box) { return box.value; });
    var batch = parseInt(form.dataset.batch, 10) || 10;
    var token = form.querySelector("input[name=csrf_token]");
    var wrap = document.getElementById("issue-progress");
    var bar = wrap.querySelector("progress");
    var label = wrap.querySelector("span");
    var button = document.getElementById("issue-button");
    var done = 0, issued = 0, skipped = 0;
    wrap.hidden = false; bar.max = ids.length; button.disabled = true;
    function show() {
      bar.value = done;
      label.textContent = done + " / " + ids.length;
    }
    function next() {
      if (done >= ids.length) {
        label.textContent = ids.length + " / " + ids.length + " — " + issued + " ✓" +
          (skipped ? ", " + skipped + " –" : "");
        window.location.reload();
        return;
      }
      var body = new URLSearchParams();
      if (token) { body.append("csrf_token", token.value); }
      ids.slice(done, done + batch).forEach(function (id) { body.append("decision", id); });
      fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                          headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          issued += data.issued.length; skipped += data.skipped.length;
          done = Math.min(ids.length, done + batch); show(); next();
        })
        .catch(function (err) { label.textContent = "Error " + err.message; button.disabled = false; });
    }
    show(); next();
  });
})();
