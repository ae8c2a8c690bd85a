/* Quiz attempt: every answer is saved to the server as it is given.
 * Saves that fail (offline) wait in localStorage and are re-sent; the server treats a repeated
 * save as the same answer, so nothing is lost or doubled. The timer only shows the time the
 * server gave; the server enforces it.
 */
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var saveUrl = form.dataset.saveUrl;
  var csrf = form.dataset.csrf;
  var KEY = "lms-quiz-pending:" + saveUrl;

  function pending() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function setPending(p) {
    try { localStorage.setItem(KEY, JSON.stringify(p)); } catch (e) { /* storage full */ }
  }

  function responseOf(fieldset) {
    var type = fieldset.dataset.type;
    if (type === "single") {
      var r = fieldset.querySelector("input:checked");
      return r ? r.value : null;
    }
    if (type === "multiple") {
      return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"),
                                      function (i) { return i.value; });
    }
    if (type === "true_false") {
      var t = fieldset.querySelector("input:checked");
      return t ? t.value === "true" : null;
    }
    if (type === "short_text") return fieldset.querySelector("input").value;
    if (type === "ordering") {
      // an order nobody moved or confirmed is no answer, not the shown order
      if (fieldset.dataset.answered !== "true") return null;
      return Array.prototype.map.call(fieldset.querySelectorAll("li"),
                                      function (li) { return parseInt(li.dataset.pos, 10); });
    }
    return null;
  }

  function state(fieldset, text) {
    var el = fieldset.querySelector(".save-state");
    if (el) el.textContent = text;
  }

  function send(questionId) {
    var p = pending();
    if (!(questionId in p)) return Promise.resolve();
    var fieldset = form.querySelector('[data-question="' + questionId + '"]');
    state(fieldset, form.dataset.savingText);
    return fetch(saveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ question_id: questionId, response: p[questionId] })
    }).then(function (response) {
      if (response.status === 409) { window.location.reload(); return; }
      if (!response.ok) throw new Error("status " + response.status);
      var now = pending();
      if (JSON.stringify(now[questionId]) === JSON.stringify(p[questionId])) {
        delete now[questionId];
        setPending(now);
      }
      state(fieldset, form.dataset.savedText);
      countAnswered();
    }).catch(function () { state(fieldset, form.dataset.offlineText); });
  }

  function changed(fieldset) {
    var p = pending();
    p[fieldset.dataset.question] = responseOf(fieldset);
    setPending(p);
    send(fieldset.dataset.question);
  }

  var timers = {};
  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    fieldset.addEventListener("change", function () { changed(fieldset); });
    fieldset.addEventListener("input", function (e) {
      if (e.target.type !== "text") return;
      clearTimeout(timers[fieldset.dataset.question]);
      timers[fieldset.dataset.question] = setTimeout(function () { changed(fieldset); }, 600);
    });
    fieldset.querySelectorAll(".move-up, .move-down").forEach(function (button) {
      button.addEventListener("click", function () {
        var li = button.closest("li");
        if (button.classList.contains("move-up") && li.previousElementSibling) {
          li.parentNode.insertBefore(li, li.previousElementSibling);
        } else if (button.classList.contains("move-down") && li.nextElementSibling) {
          li.parentNode.insertBefore(li.nextElementSibling, li);
        }
        button.focus();
        fieldset.dataset.answered = "true";
        changed(fieldset);
      });
    });
    var confirmOrder = fieldset.querySelector(".confirm-order");
    if (confirmOrder) {
      confirmOrder.addEventListener("click", function () {
        fieldset.dataset.answered = "true";
        changed(fieldset);
      });
    }
  });

  function flushAll() {
    Object.keys(pending()).forEach(send);
  }
  setInterval(flushAll, 5000);
  window.addEventListener("online", flushAll);
  flushAll();

  function countAnswered() {
    var el = document.getElementById("answered-count");
    if (!el) return;
    var n = 0;
    form.querySelectorAll("fieldset.question").forEach(function (f) {
      var r = responseOf(f);
      if (r !== null && r !== "" && !(Array.isArray(r) && r.length === 0)) n += 1;
    });
    el.textContent = n + " / " + el.dataset.total;
  }
  countAnswered();

  form.addEventListener("submit", function (event) {
    if (form.dataset.submitting) { event.preventDefault(); return; }
    var message = form.dataset.confirmText;
    var el = document.getElementById("answered-count");
    if (el && el.textContent.split(" / ")[0] !== el.dataset.total) {
      message = form.dataset.unansweredText + "\n" + message;
    }
    if (!window.confirm(message)) { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    document.getElementById("submit-attempt").disabled = true;
  });

  var timer = document.getElementById("timer");
  if (timer) {
    var end = Date.now() + parseInt(timer.dataset.remaining, 10) * 1000;
    // Screen readers hear the time left at 5 minutes and at 1 minute, not every second (2.2.1).
    var warnings = [300, 60].filter(function (s) { return s < parseInt(timer.dataset.remaining, 10); });
    var warning = document.getElementById("time-warning");
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (warnings.length && left <= warnings[0]) {
        warning.textContent = timer.dataset.warnText.replace("%(n)s", Math.ceil(left / 60));
        warnings.shift();
      }
      timer.textContent = "⏱ " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) { form.dataset.submitting = "1"; form.submit(); return; }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
