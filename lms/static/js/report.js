/* Report drafts: saved to the server a moment after each change, and to this browser at once,
 * so a closed tab or a dropped connection loses at most a few seconds of typing. The browser's
 * copy of a field is deleted only once the server answered that it holds the same text; on
 * opening the form, each field shows the newer of the two, and the person is told which came
 * from this browser. Character counts follow the server's rule: every character but line
 * breaks. */
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

  // The local copy: per field, the value and when it was typed, on the server's clock
  // (the page says the server's time, so a wrong clock in this computer does not matter).
  var offset = (Date.parse(form.dataset.serverNow) || Date.now()) - Date.now();
  function now() { return Date.now() + offset; }

  function readLocal() {
    try {
      var copy = JSON.parse(localStorage.getItem(KEY) || "null");
      return copy && copy.fields ? copy : { fields: {} };
    } catch (e) { return { fields: {} }; }  // a broken copy
  }

  function writeLocal(copy) {
    try {
      if (Object.keys(copy.fields).length) localStorage.setItem(KEY, JSON.stringify(copy));
      else localStorage.removeItem(KEY);
    } catch (e) { /* storage full or off */ }
  }

  function same(a, b) { return JSON.stringify(a === undefined ? null : a) ===
                               JSON.stringify(b === undefined ? null : b); }

  function setValue(id, value) {
    var inputs = form.querySelectorAll('[data-field="' + id + '"] input, ' +
                                       '[data-field="' + id + '"] textarea');
    Array.prototype.forEach.call(inputs, function (el) {
      if (el.type === "checkbox") el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
      else if (el.type === "radio") el.checked = el.value === value;
      else el.value = value === null || value === undefined ? "" : value;
    });
  }

  function label(id) {
    var box = form.querySelector('[data-field="' + id + '"]');
    var el = box && box.querySelector("legend, label");
    return el ? el.firstChild.textContent.trim() : id;
  }

  // Per field, keep the newer of the saved draft and this browser's copy, and say which.
  var noticeEl = form.querySelector(".autosave-restored");
  (function restore() {
    var copy = readLocal(), current = values(), restored = [], kept = [];
    var serverAt = Date.parse(form.dataset.savedAt || "") || 0;
    Object.keys(copy.fields).forEach(function (id) {
      var field = copy.fields[id];
      if (!form.querySelector('[data-field="' + id + '"]')) { delete copy.fields[id]; return; }
      if (same(field.value, current[id])) return;
      if (field.at > serverAt) { setValue(id, field.value); restored.push(label(id)); }
      else { kept.push(label(id)); delete copy.fields[id]; }
    });
    writeLocal(copy);
    var lines = [];
    if (restored.length) lines.push(form.dataset.restoredText.replace("%(fields)s", restored.join("、")));
    if (kept.length) lines.push(form.dataset.keptText.replace("%(fields)s", kept.join("、")));
    if (lines.length && noticeEl) { noticeEl.textContent = lines.join(" "); noticeEl.hidden = false; }
    if (restored.length) save();
  })();

  var timer = null;
  var last = values();
  function schedule() {
    var copy = readLocal(), current = values(), at = now();
    Object.keys(current).forEach(function (id) {
      if (!same(current[id], last[id])) copy.fields[id] = { value: current[id], at: at };
    });
    last = current;
    writeLocal(copy);
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
      // The server's clock has passed this save: what is typed from now on is newer than it,
      // however late this page's estimate of that clock started (a slow page load).
      var savedAt = Date.parse(data.saved_at) || 0;
      offset = Math.max(offset, savedAt - Date.now());
      // Forget only what the server says it now holds; text typed since stays kept here, and
      // is newer than the save whatever time it was stamped with.
      var copy = readLocal();
      Object.keys(copy.fields).forEach(function (id) {
        if (data.values && same(data.values[id], copy.fields[id].value)) delete copy.fields[id];
        else if (copy.fields[id].at <= savedAt) copy.fields[id].at = savedAt + 1;
      });
      writeLocal(copy);
      var at = new Date(data.saved_at);
      form.dataset.savedAt = data.saved_at;
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
  counters();
})();
