/* The check-in page (events/admin/checkin.html): progressive enhancement of a plain form.
 *
 * - Without JavaScript the form posts and the page comes back with the result.
 * - With htmx the form posts in the background and the result (and the attendance counts) are
 *   swapped in; the code field is then emptied and, unless the camera is on, focused again.
 * - Where the browser offers a camera (getUserMedia) and jsQR is loaded, the "Scan" button
 *   appears: it shows the camera and reads QR codes frame by frame (jsQR, Apache-2.0, served as
 *   static jsqr/jsQR.js); a code read is put in the field and the form is sent. The camera stays
 *   on for the next person; the same code is not sent twice within a few seconds.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-testid=checkin-form]");
  if (!form) return;
  var input = form.querySelector("input[name=code]");
  var scanButton = form.querySelector("[data-testid=checkin-scan]");
  var box = document.getElementById("checkin-camera");
  var video = box ? box.querySelector("video") : null;
  var status = box ? box.querySelector("[data-testid=camera-status]") : null;
  var stream = null;
  var frame = null;
  var lastCode = "";
  var lastAt = 0;
  var REPEAT_MS = 4000;
  var MAX_WIDTH = 640;

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form || !event.detail.successful) return;
    input.value = "";
    if (!stream) input.focus();
  });

  if (!scanButton || !video || typeof window.jsQR !== "function" || !navigator.mediaDevices ||
      typeof navigator.mediaDevices.getUserMedia !== "function") {
    return;  // no camera: the field is enough
  }

  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var labels = {
    start: scanButton.textContent,
    stop: scanButton.getAttribute("data-label-stop") || scanButton.textContent,
    refused: scanButton.getAttribute("data-camera-refused") || "",
    looking: scanButton.getAttribute("data-camera-looking") || ""
  };
  scanButton.hidden = false;

  function stop() {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    box.hidden = true;
    scanButton.textContent = labels.start;
    scanButton.setAttribute("aria-expanded", "false");
  }

  function tick() {
    if (!stream) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var code = found && found.data ? found.data.trim() : "";
      var now = Date.now();
      if (code && (code !== lastCode || now - lastAt > REPEAT_MS)) {
        lastCode = code;
        lastAt = now;
        input.value = code;
        form.requestSubmit();
      }
    }
    frame = requestAnimationFrame(tick);
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        box.hidden = false;
        status.textContent = labels.looking;
        scanButton.textContent = labels.stop;
        scanButton.setAttribute("aria-expanded", "true");
        return video.play();
      })
      .then(function () { frame = requestAnimationFrame(tick); })
      .catch(function () {
        stop();
        box.hidden = false;
        status.textContent = labels.refused;
        input.focus();
      });
  }

  scanButton.addEventListener("click", function () {
    if (stream) stop(); else start();
  });
  window.addEventListener("pagehide", stop);
})();
