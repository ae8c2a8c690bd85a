/* Report drafts: saved to the server a moment after each change, and to this browser at once,
 * so a closed tab or a dropped connection loses at most a few seconds of typing. Character
 * counts follow the server's rule: every character but line breaks. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var url = form.dataset.autosaveUrl;
  var KEY = "lms-report-draft:" + url;
  var stateEl = form.querySelector(".autosave-state");

  function chars(text) {
    return Array.from(text.normalize("NFC").replace(/[\r\n]/g, "")).filter(function (c) {
      return !/^(?:[\u0300-\u036f\u3099\u309a\ufe00-\ufe0f]|\udb40[\udd00-\uddef])$/.test(c);
    }).length;
  }

  function values() {
    var out = {};
    form.querySelectorAll("[data-field]").forEach(function (box) {
      var id = box.dataset.field;
      var inputs = box.querySelectorAll("input, textarea, select");
      if (!inputs.length) return;
      if (inputs[0].type === "checkbox") {
        out[id] = Array.prototype.filter.call(inputs, function (i) { return i.checked; })
          .map(function (i) { return i.value; });
      } else if (inputs[0].type === "radio") {
        var on = Array.prototype.find.call(inputs, function (i) { return i.checked; });
        if (on) out[id] = on.value;
      } else {
        out[id] = inputs[0].value;
      }
    });
    return out;
  }

  function counters() {
    form.querySelectorAll("textarea, input[type=text]").forEach(function (el) {
      var counter = form.querySelector('[data-counter="' + el.name + '"]');
      if (!counter) return;
      var n = chars(el.value);
      var min = parseInt(el.dataset.min || "0", 10), max = parseInt(el.dataset.max || "0", 10);
      counter.textContent = form.dataset.charsText.replace("%(n)s", n) +
        (min ? " / " + min + "–" + (max || "") : "");
      counter.classList.toggle("short", !!min && n < min);
      counter.classList.toggle("long", !!max && n > max);
    });
  }

  // Restore a local copy newer than what the server has (the tab was closed while offline).
  try {
    var local = JSON.parse(localStorage.getItem(KEY) || "null");
    if (local && local.values) {
      Object.keys(local.values).forEach(function (id) {
        var el = form.querySelector('[name="' + id + '"]');
        if (el && (el.tagName === "TEXTAREA" || el.type === "text" || el.type === "number" ||
                   el.type === "date") && !el.value) el.value = local.values[id];
      });
      save();
    }
  } catch (e) { /* ignore a broken copy */ }

  var timer = null;
  function schedule() {
    try { localStorage.setItem(KEY, JSON.stringify({ values: values(), at: Date.now() })); }
    catch (e) { /* storage full */ }
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  function save() {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
      body: JSON.stringify({ values: values() })
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      localStorage.removeItem(KEY);
      var at = new Date(data.saved_at);
      stateEl.textContent = form.dataset.savedText.replace(
        "%(time)s", at.toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo" }));
    }).catch(function () { stateEl.textContent = form.dataset.offlineText; });
  }

  form.addEventListener("input", function () { counters(); schedule(); });
  form.addEventListener("change", schedule);
  window.addEventListener("online", save);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) { clearTimeout(timer); save(); }
  });
  form.addEventListener("submit", function () { localStorage.removeItem(KEY); });
  counters();
})();
