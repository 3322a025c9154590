// Survey pages: how far the upload of an export has got, that a long check or import is under way,
// and selecting every comment of a page.
(function () {
  "use strict";

  function sendWithProgress(form, progress) {
    var file = form.querySelector("input[type=file]");
    var bar = progress.querySelector("progress");
    var label = progress.querySelector("[data-progress-label]");
    if (!file || !file.files.length || !window.FormData || !bar || !label) {
      return false;
    }
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action") || window.location.href);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        bar.max = event.total;
        bar.value = event.loaded;
        var percent = Math.round((100 * event.loaded) / event.total) + "%";
        label.textContent = label.dataset.sent.replace("{percent}", percent);
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // the file is there: the server is checking every row
      label.textContent = label.dataset.checking;
    });
    request.addEventListener("load", function () {
      if (request.status === 200 && request.responseURL && request.responseURL.indexOf("/check/") !== -1) {
        window.location.assign(request.responseURL);
      } else {
        form.submit(); // the server's own page says what was wrong with the form
      }
    });
    request.addEventListener("error", function () {
      form.submit();
    });
    request.send(new FormData(form));
    return true;
  }

  document.querySelectorAll("form[data-progress-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var progress = form.querySelector("[data-progress]");
      if (!progress) {
        return;
      }
      progress.hidden = false;
      if (form.enctype === "multipart/form-data" && sendWithProgress(form, progress)) {
        event.preventDefault();
      }
    });
  });

  var all = document.querySelector("[data-select-all]");
  if (all) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-select-row]"));
    document.querySelector("[data-select-all-box]").hidden = rows.length === 0;
    all.addEventListener("change", function () {
      rows.forEach(function (row) {
        row.checked = all.checked;
      });
    });
  }
})();
