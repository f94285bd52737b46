// Kindling's small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Play buttons for name recordings: <button data-play-audio="audio-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-play-audio]");
    if (!button) return;
    var audio = document.getElementById(button.getAttribute("data-play-audio"));
    if (!audio) return;
    audio.currentTime = 0;
    button.setAttribute("aria-pressed", "true");
    audio.play().catch(function () { button.removeAttribute("aria-pressed"); });
    audio.onended = function () { button.removeAttribute("aria-pressed"); };
  });

  // Record a name in the browser and put the clip into the form's file input.
  function setUpRecorder(box) {
    if (!window.MediaRecorder || !navigator.mediaDevices || !window.DataTransfer) return;
    var controls = box.querySelector("[data-recorder-controls]");
    var start = box.querySelector("[data-recorder-start]");
    var stop = box.querySelector("[data-recorder-stop]");
    var preview = box.querySelector("[data-recorder-preview]");
    var status = box.querySelector("[data-recorder-status]");
    var input = box.querySelector("input[type=file]");
    var maxSeconds = parseInt(box.getAttribute("data-max-seconds"), 10) || 15;
    var recorder = null;
    var timer = null;
    controls.hidden = false;

    function finish() {
      if (recorder && recorder.state === "recording") recorder.stop();
      clearTimeout(timer);
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (e) { if (e.data.size) chunks.push(e.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          var type = recorder.mimeType || "audio/webm";
          var extension = type.indexOf("ogg") >= 0 ? "ogg" : (type.indexOf("mp4") >= 0 ? "m4a" : "webm");
          var file = new File(chunks, "name." + extension, { type: type });
          var transfer = new DataTransfer();
          transfer.items.add(file);
          input.files = transfer.files;
          preview.src = URL.createObjectURL(file);
          preview.hidden = false;
          start.disabled = false;
          stop.disabled = true;
          status.textContent = box.getAttribute("data-done-text") || "Recorded. Listen, then save your profile to keep it.";
        };
        recorder.start();
        start.disabled = true;
        stop.disabled = false;
        status.textContent = box.getAttribute("data-recording-text") || "Recording… say your name, then press Stop.";
        timer = setTimeout(finish, maxSeconds * 1000);
      }).catch(function () {
        status.textContent = box.getAttribute("data-denied-text") || "The microphone is not available. You can upload a recording instead.";
      });
    });
    stop.addEventListener("click", finish);
  }

  document.querySelectorAll("[data-recorder]").forEach(setUpRecorder);

  // A second click on a posting form's button while the first submit is on its way does
  // nothing (the server also refuses duplicates; this just saves a round trip).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post" || form.hasAttribute("hx-post")) return;
    if (form.getAttribute("data-submitting") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitting", "true");
    form.setAttribute("aria-busy", "true");
  });
  // Pages restored from the back/forward cache must be submittable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
    });
  });
})();
