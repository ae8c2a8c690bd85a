/* Application drafts: saved to the server a moment after each change (and to this browser at
 * once), as in the practice reports; the server answers with the §4 verdict on what is saved,
 * which the panel shows while the applicant fills the form. Files go with the form's buttons. */
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || form.dataset.readonly) return;
  var url = form.dataset.autosaveUrl;
  var KEY = "lms-application-draft:" + url;
  var stateEl = form.querySelector(".autosave-state");
  var panel = document.getElementById("verdict");

  function values() {
    var out = {};
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.name === "csrf_token") return;
      if (el.type === "checkbox") { out[el.name] = el.checked ? el.value : ""; return; }
      out[el.name] = el.value;
    });
    return out;
  }

  function showProblems(problems) {
    form.querySelectorAll("[data-live-error]").forEach(function (p) { p.remove(); });
    Object.keys(problems || {}).forEach(function (name) {
      var el = form.querySelector('[name="' + name + '"]');
      if (!el || form.querySelector('[data-error-for="' + name + '"]')) return;
      var p = document.createElement("p");
      p.className = "error"; p.dataset.liveError = "1"; p.textContent = problems[name];
      el.insertAdjacentElement("afterend", p);
    });
  }

  function showVerdict(v) {
    if (!panel || !v) return;
    var badge = panel.querySelector(".verdict-result");
    badge.innerHTML = "";
    var span = document.createElement("span");
    span.className = "badge " + (v.eligible ? "ok" : "err");
    span.dataset.verdict = v.eligible ? "eligible" : "not-eligible";
    span.textContent = v.eligible ? form.dataset.eligibleText : form.dataset.notEligibleText;
    badge.appendChild(span);
    panel.querySelector(".verdict-figures").textContent = form.dataset.figuresText
      .replace("%(a)s", v.days_in_post || 0).replace("%(b)s", v.days_worked || 0);
    var list = panel.querySelector(".verdict-reasons");
    list.innerHTML = "";
    (v.reasons || []).forEach(function (r) {
      var li = document.createElement("li"); li.textContent = r; list.appendChild(li);
    });
  }

  var timer = null;
  function schedule() {
    try { localStorage.setItem(KEY, JSON.stringify({ values: values(), at: Date.now() })); }
    catch (e) { /* storage full */ }
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }

  function save() {
    timer = null;
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true,
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
      showProblems(data.problems);
      showVerdict(data.verdict);
    }).catch(function () { stateEl.textContent = form.dataset.offlineText; });
  }

  // Restore a local copy the server never got (the tab was closed while offline).
  try {
    var local = JSON.parse(localStorage.getItem(KEY) || "null");
    if (local && local.values) {
      Object.keys(local.values).forEach(function (name) {
        var el = form.querySelector('[name="' + name + '"]');
        if (el && el.type !== "checkbox" && !el.value) el.value = local.values[name];
      });
      save();
    }
  } catch (e) { /* ignore a broken copy */ }

  form.addEventListener("input", function (ev) { if (ev.target.type !== "file") schedule(); });
  form.addEventListener("change", function (ev) { if (ev.target.type !== "file") schedule(); });
  window.addEventListener("online", save);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) { clearTimeout(timer); save(); }
  });
  form.addEventListener("submit", function () { clearTimeout(timer); localStorage.removeItem(KEY); });
})();
