// Upload progress for the documents step: htmx sends the form with XHR and reports progress.
// Without JavaScript the same forms post normally.
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest("form.upload-form");
  if (!form || !event.detail.lengthComputable) { return; }
  var bar = form.querySelector("progress.upload-progress");
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var form = event.target.closest("form.upload-form");
  if (form) { form.querySelectorAll("button").forEach(function (b) { b.disabled = true; }); }
});
