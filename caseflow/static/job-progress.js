// A background job's page: polls its JSON and moves the progress bar, counters, errors and links (a file, not
// an inline script: the Content-Security-Policy runs this site's files only). Without JavaScript the page
// refreshes itself (a <noscript> meta refresh) and has a plain reload link.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  var url = box.dataset.statusUrl;
  var reload = document.getElementById("job-reload");
  if (reload) {
    reload.hidden = true;
  }

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) {
      el.textContent = value === null || value === undefined ? "" : String(value);
    }
  }

  function show(id, visible) {
    var el = document.getElementById(id);
    if (el) {
      el.hidden = !visible;
    }
  }

  function update(state) {
    document.getElementById("job-progress").value = state.percent;
    document.getElementById("job-progress").textContent = state.percent + "%";
    text("job-percent", state.percent);
    text("job-done", state.done);
    text("job-total", state.total === null ? "?" : state.total);
    text("job-errors-count", state.errors_count);
    var status = document.getElementById("job-status");
    status.textContent = state.status_label;
    status.dataset.status = state.status;
    var list = document.getElementById("job-errors");
    list.replaceChildren();
    (state.errors || []).forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
    });
    show("job-cancelling", state.cancel_requested && !state.finished);
    text("job-summary", state.summary);
    show("job-summary", !!state.summary);
    text("job-error", state.error);
    show("job-error", !!state.error);
    if (state.download) {
      document.getElementById("job-download").href = state.download;
      text("job-result-name", state.result_name);
    }
    show("job-download-row", !!state.download);
    show("job-cancel-form", !state.finished);
    show("job-retry-form", state.status === "failed" || state.status === "cancelled");
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        update(state);
        if (state.finished) {
          box.dataset.finished = "true";
          if (state.follow_up) {
            window.location.reload();  // the next step's form comes with the page
          }
        } else {
          window.setTimeout(poll, 500);  // twice a second: a short batch still shows its bar move
        }
      })
      .catch(function () {
        if (reload) {
          reload.hidden = false;
        }
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
});
