/* Lecture player: records the media time actually played and reports it to the server.
 *
 * Played segments are built from timeupdate events while playing; a jump (seek) starts a new
 * segment, so skipping ahead never counts as watched. Each report carries every segment of
 * this page visit and a fresh report id, so a lost, repeated or reordered report is harmless.
 * Reports that fail are kept in localStorage and re-sent later.
 */
(function () {
  "use strict";
  var video = document.getElementById("lecture-video");
  if (!video) return;
  var url = video.dataset.reportUrl;
  var csrf = video.dataset.csrf;
  var sessionId = video.dataset.sessionId;
  var QUEUE_KEY = "lms-player-queue";
  var segments = [];          // [[start, end], ...] played in this visit
  var current = null;          // segment being extended while playing
  var lastTime = 0;
  var events = [];
  var seekFrom = null;
  // The server credits no more than this rate across all tabs; faster playback is not offered.
  var maxRate = parseFloat(video.dataset.maxRate || "2");
  video.addEventListener("ratechange", function () {
    if (video.playbackRate > maxRate) video.playbackRate = maxRate;
  });

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function closeSegment() {
    if (current && current[1] > current[0]) segments.push([current[0], current[1]]);
    current = null;
  }

  // Extend the open segment to where playback stopped (timeupdate fires only every ~250 ms).
  function extendTo(t) {
    if (current && t >= current[1] && t - current[1] <= 1.5 * Math.max(1, video.playbackRate)) {
      current[1] = t;
    }
  }

  video.addEventListener("playing", function () {
    closeSegment();
    current = [video.currentTime, video.currentTime];
    lastTime = video.currentTime;
  });

  video.addEventListener("timeupdate", function () {
    var t = video.currentTime;
    if (!video.paused && !video.seeking) {
      var step = t - lastTime;
      // Normal playback advances by well under a second between timeupdates.
      if (current && step >= 0 && step <= 1.5 * Math.max(1, video.playbackRate)) {
        current[1] = t;
      } else {
        closeSegment();
        current = [t, t];
      }
    }
    lastTime = t;
  });
  video.addEventListener("seeking", function () {
    if (seekFrom === null) seekFrom = lastTime;
    closeSegment();
  });
  video.addEventListener("seeked", function () {
    events.push({ type: "seeked", time: video.currentTime, from: seekFrom, to: video.currentTime });
    seekFrom = null;
    lastTime = video.currentTime;
  });
  video.addEventListener("pause", function () {
    if (!video.seeking) extendTo(video.currentTime);
    events.push({ type: "paused", time: video.currentTime });
    closeSegment();
    report();
  });
  video.addEventListener("ended", function () {
    extendTo(video.duration || video.currentTime);
    events.push({ type: "ended", time: video.currentTime });
    closeSegment();
    report();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") report(true);
  });
  // The page is going away: the last report ends the viewing session ("terminated").
  window.addEventListener("pagehide", function () {
    if (!video.paused) events.push({ type: "paused", time: video.currentTime });
    report(true, true);
  });
  // Back from the browser's page cache: that session has ended, so open a new one.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && url) window.location.reload();
  });

  var start = parseFloat(video.dataset.start || "0");
  if (start > 0) {
    video.addEventListener("loadedmetadata", function () {
      if (start < video.duration - 1) { video.currentTime = start; lastTime = start; }
    }, { once: true });
  }

  document.querySelectorAll(".cue").forEach(function (button) {
    button.addEventListener("click", function () {
      video.currentTime = parseFloat(button.dataset.time);
      video.play();
    });
  });

  if (!url) return;  // instructor preview: nothing is recorded

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) {
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(items.slice(-50))); } catch (e) { /* full */ }
  }

  function send(item, keepalive) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      if (!response.ok && response.status >= 500) throw new Error("server " + response.status);
      return response.ok ? response.json() : null;
    });
  }

  function showProgress(data) {
    if (!data) return;
    var percent = Math.round(data.coverage * 100);
    var bar = document.querySelector("#watch-status .progress");
    if (bar) {
      bar.setAttribute("aria-valuenow", percent);
      bar.querySelector(".progress-bar").style.width = percent + "%";
      var label = document.querySelector("#watch-status .progress-label");
      if (label) label.textContent = label.textContent.replace(/\d+%$/, percent + "%");
    }
    if (data.complete) document.getElementById("complete-note").classList.remove("hidden");
  }

  var ended = false;
  function report(keepalive, final) {
    if (ended) return;
    var open = current && current[1] > current[0] ? [[current[0], current[1]]] : [];
    var all = segments.concat(open);
    if (!all.length && !events.length && !final) return;
    ended = !!final;
    var item = {
      url: url,
      body: { report_id: uuid(), session_id: sessionId, segments: all, events: events,
              position: video.currentTime, final: !!final }
    };
    events = [];
    var pending = queue();
    pending.push(item);
    saveQueue(pending);
    flush(keepalive);
  }

  var flushing = false;
  function flush(keepalive) {
    if (flushing) return;
    var pending = queue();
    if (!pending.length) return;
    flushing = true;
    var item = pending[0];
    send(item, keepalive).then(function (data) {
      saveQueue(queue().filter(function (q) { return q.body.report_id !== item.body.report_id; }));
      if (item.url === url) showProgress(data);
      flushing = false;
      flush(keepalive);
    }).catch(function () { flushing = false; });  // kept; retried on the next tick
  }

  setInterval(function () { if (!video.paused) report(); else flush(); }, 10000);
  flush();
})();
