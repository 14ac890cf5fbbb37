/* Proofsheet uploader: hundreds of photos, a few at a time, straight to storage.
 *
 * Each file: hash it (so a photo already in the gallery is skipped before upload),
 * ask the API where to send it, send the bytes (to us, or straight to S3 with a
 * presigned form or multipart parts), confirm, then wait for the thumbnail and put
 * it in the grid. Transient failures are retried; refusals are shown per file.
 * The grid also gets drag-to-reorder and a live selection count.
 */
(function () {
  "use strict";

  var CONCURRENCY = 3;
  var RETRIES = 3;
  var POLL_MS = 1500;
  var HASH_MAX_BYTES = 256 * 1024 * 1024;

  var root = document.querySelector("[data-uploader]");
  var grid = document.querySelector("[data-grid]");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function formatBytes(n) {
    var units = ["bytes", "KB", "MB", "GB"];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + " " + units[i];
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  /* One request with upload progress; resolves {status, body, xhr}. */
  function send(method, url, body, options) {
    options = options || {};
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      if (options.api) {
        xhr.setRequestHeader("X-CSRFToken", csrfToken());
        xhr.setRequestHeader("Accept", "application/json");
        xhr.withCredentials = true;
      }
      Object.keys(options.headers || {}).forEach(function (k) { xhr.setRequestHeader(k, options.headers[k]); });
      if (options.onProgress && xhr.upload) {
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) options.onProgress(e.loaded); };
      }
      xhr.onload = function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        resolve({ status: xhr.status, body: data, xhr: xhr });
      };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.ontimeout = function () { reject(new Error("timeout")); };
      xhr.send(body);
    });
  }

  function api(method, url, payload) {
    return send(method, url, payload === undefined ? null : JSON.stringify(payload), {
      api: true, headers: { "Content-Type": "application/json" }
    });
  }

  function transient(status) { return status === 0 || status === 429 || status >= 500; }

  /* Retry a step on network errors and 5xx/429, with backoff. */
  async function withRetries(step) {
    var lastError;
    for (var attempt = 0; attempt <= RETRIES; attempt++) {
      if (attempt) await sleep(1000 * Math.pow(2, attempt - 1));
      try {
        var result = await step();
        if (!transient(result.status)) return result;
        lastError = new Error("The server is busy (HTTP " + result.status + ")");
      } catch (error) {
        lastError = new Error("The connection dropped");
      }
    }
    throw lastError;
  }

  function errorText(body, fallback) {
    if (body && body.errors && body.errors.length) {
      return body.errors.map(function (e) { return e.detail; }).join(" ");
    }
    return fallback;
  }

  async function sha256(file) {
    if (!window.crypto || !crypto.subtle || file.size > HASH_MAX_BYTES) return "";
    try {
      var digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
      return Array.from(new Uint8Array(digest)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    } catch (e) {
      return "";
    }
  }

  /* ---------------------------------------------------------------- the queue */

  function Uploader(el) {
    this.el = el;
    this.startUrl = el.dataset.startUrl;
    this.photoUrl = el.dataset.photoUrl;
    this.completeUrl = el.dataset.completeUrl;
    this.set = el.dataset.set || null;
    this.list = el.querySelector("[data-list]");
    this.summary = el.querySelector("[data-summary]");
    this.overall = el.querySelector("[data-overall]");
    this.progressBox = el.querySelector("[data-progress]");
    this.queue = [];
    this.active = 0;
    this.stats = { total: 0, done: 0, skipped: 0, failed: 0, bytes: 0, sent: 0 };
    this.bind();
  }

  Uploader.prototype.bind = function () {
    var self = this;
    this.el.querySelectorAll("[data-file-input]").forEach(function (input) {
      input.addEventListener("change", function () {
        self.add(Array.from(input.files));
        input.value = "";
      });
    });
    var zone = document.body;
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        if (e.dataTransfer && Array.from(e.dataTransfer.types).indexOf("Files") !== -1) {
          e.preventDefault();
          self.el.classList.add("uploader--over");
        }
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { self.el.classList.remove("uploader--over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      self.collect(e.dataTransfer).then(function (files) { self.add(files); });
    });
    window.addEventListener("beforeunload", function (e) {
      if (self.active || self.queue.length) { e.preventDefault(); e.returnValue = ""; }
    });
  };

  /* Files from a drop, walking into dropped folders. */
  Uploader.prototype.collect = async function (transfer) {
    var entries = Array.from(transfer.items || []).map(function (item) {
      return item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    });
    if (!entries.length || entries.some(function (e) { return !e; })) return Array.from(transfer.files);
    var files = [];
    async function walk(entry) {
      if (entry.isFile) {
        files.push(await new Promise(function (res, rej) { entry.file(res, rej); }));
      } else if (entry.isDirectory) {
        var reader = entry.createReader();
        var batch;
        do {
          batch = await new Promise(function (res, rej) { reader.readEntries(res, rej); });
          for (var i = 0; i < batch.length; i++) await walk(batch[i]);
        } while (batch.length);
      }
    }
    for (var i = 0; i < entries.length; i++) await walk(entries[i]);
    return files;
  };

  Uploader.prototype.add = function (files) {
    var self = this;
    files = files.filter(function (f) { return f.name.charAt(0) !== "."; }); // .DS_Store and friends
    if (!files.length) return;
    this.progressBox.hidden = false;
    files.forEach(function (file) {
      var row = document.createElement("li");
      row.className = "upload-row";
      row.innerHTML = '<span class="upload-row__name"></span><span class="upload-row__size small muted"></span>' +
        '<span class="upload-row__bar"><span></span></span><span class="upload-row__status small">Waiting</span>';
      row.querySelector(".upload-row__name").textContent = file.webkitRelativePath || file.name;
      row.querySelector(".upload-row__size").textContent = formatBytes(file.size);
      self.list.appendChild(row);
      self.queue.push({ file: file, row: row, sent: 0 });
      self.stats.total++;
      self.stats.bytes += file.size;
    });
    this.render();
    this.pump();
  };

  Uploader.prototype.pump = function () {
    var self = this;
    while (this.active < CONCURRENCY && this.queue.length) {
      var job = this.queue.shift();
      this.active++;
      this.run(job).finally(function () {
        self.active--;
        self.render();
        self.pump();
      });
    }
  };

  Uploader.prototype.status = function (job, text, state) {
    job.row.querySelector(".upload-row__status").textContent = text;
    if (state) job.row.dataset.state = state;
  };

  Uploader.prototype.progress = function (job, sent) {
    this.stats.sent += sent - job.sent;
    job.sent = sent;
    var pct = job.file.size ? Math.min(100, 100 * sent / job.file.size) : 100;
    job.row.querySelector(".upload-row__bar span").style.width = pct + "%";
    this.render();
  };

  Uploader.prototype.render = function () {
    var s = this.stats;
    var finished = s.done + s.skipped + s.failed;
    var parts = [finished + " of " + s.total + " files"];
    if (s.done) parts.push(s.done + " added");
    if (s.skipped) parts.push(s.skipped + " already there");
    if (s.failed) parts.push(s.failed + " not uploaded");
    this.summary.textContent = parts.join(" · ") + (finished < s.total ? " · " + formatBytes(s.sent) + " of " + formatBytes(s.bytes) + " sent" : "");
    var pct = s.bytes ? 100 * s.sent / s.bytes : 100;
    this.overall.style.setProperty("--value", (finished === s.total ? 100 : Math.min(99, pct)) + "%");
  };

  Uploader.prototype.run = async function (job) {
    var self = this;
    var file = job.file;
    try {
      this.status(job, "Checking…");
      var digest = await sha256(file);
      var start = await withRetries(function () {
        return api("POST", self.startUrl, { filename: file.name, size: file.size, sha256: digest, set: self.set });
      });
      if (start.status === 409) {
        this.progress(job, file.size);
        this.stats.skipped++;
        this.status(job, errorText(start.body, "Already in this gallery"), "skipped");
        return;
      }
      if (start.status !== 201) throw new Error(errorText(start.body, "Refused (HTTP " + start.status + ")"));
      var photo = start.body.photo;
      var target = start.body.upload;
      this.status(job, "Uploading…", "uploading");
      photo = await this.sendBytes(job, photo, target);
      this.progress(job, file.size);
      this.status(job, "Processing…", "processing");
      photo = await this.waitUntilProcessed(photo);
      if (photo.status === "ready") {
        this.stats.done++;
        this.status(job, "Added", "done");
        addTile(photo);
      } else {
        throw new Error(photo.error || "Could not be processed");
      }
    } catch (error) {
      this.progress(job, file.size);
      this.stats.failed++;
      this.status(job, error.message, "failed");
    }
  };

  Uploader.prototype.sendBytes = async function (job, photo, target) {
    var self = this;
    var file = job.file;
    var completeUrl = this.completeUrl.replace("00000000-0000-0000-0000-000000000000", photo.id);
    var onProgress = function (n) { self.progress(job, n); };
    var result;
    if (target.method === "PUT") {
      result = await withRetries(function () {
        return send("PUT", target.url, file, { api: true, headers: { "Content-Type": "application/octet-stream" }, onProgress: onProgress });
      });
      if (result.status !== 200) throw new Error(errorText(result.body, "Upload failed (HTTP " + result.status + ")"));
      return result.body;
    }
    if (target.method === "POST") {
      result = await withRetries(function () {
        var form = new FormData();
        Object.keys(target.fields).forEach(function (k) { form.append(k, target.fields[k]); });
        form.append("file", file);
        return send("POST", target.url, form, { onProgress: onProgress });
      });
      if (result.status >= 300) throw new Error("The storage refused the file (HTTP " + result.status + ")");
      result = await withRetries(function () { return api("POST", completeUrl, {}); });
    } else {
      var parts = [];
      for (var i = 0; i < target.part_urls.length; i++) {
        var offset = i * target.part_size;
        var blob = file.slice(offset, offset + target.part_size);
        var partResult = await withRetries(function () {
          return send("PUT", target.part_urls[i], blob, { onProgress: function (n) { onProgress(offset + n); } });
        });
        if (partResult.status >= 300) throw new Error("The storage refused part " + (i + 1));
        parts.push({ part_number: i + 1, etag: partResult.xhr.getResponseHeader("ETag") });
      }
      result = await withRetries(function () { return api("POST", completeUrl, { parts: parts }); });
    }
    if (result.status !== 200) throw new Error(errorText(result.body, "Upload failed (HTTP " + result.status + ")"));
    return result.body;
  };

  Uploader.prototype.waitUntilProcessed = async function (photo) {
    var url = this.photoUrl.replace("00000000-0000-0000-0000-000000000000", photo.id);
    var waited = 0;
    while (photo.status === "processing" || photo.status === "uploading") {
      await sleep(POLL_MS);
      waited += POLL_MS;
      var result = await withRetries(function () { return api("GET", url); });
      if (result.status !== 200) throw new Error("The photo disappeared");
      photo = result.body;
      if (waited > 10 * 60 * 1000) throw new Error("Still processing; reload the page later");
    }
    return photo;
  };

  /* ------------------------------------------------------------------ the grid */

  function addTile(photo) {
    var template = document.querySelector("[data-tile-template]");
    if (!grid || !template) return;
    var tile = template.content.firstElementChild.cloneNode(true);
    tile.dataset.id = photo.id;
    tile.style.setProperty("--ratio", (photo.width / photo.height).toFixed(4));
    tile.querySelector("input").value = photo.id;
    var picture = tile.querySelector("picture");
    var img = tile.querySelector("img");
    var u = photo.urls;
    var formats = [["avif", "image/avif"], ["webp", "image/webp"], ["jpeg", "image/jpeg"]].filter(function (f) { return u["grid." + f[0]]; });
    function srcset(fmt) {
      return ["grid", "grid_2x"].filter(function (n) { return u[n + "." + fmt]; }).map(function (n, i) { return u[n + "." + fmt] + (i ? " 800w" : " 400w"); }).join(", ");
    }
    formats.slice(0, -1).forEach(function (f) {
      var source = document.createElement("source");
      source.type = f[1];
      source.srcset = srcset(f[0]);
      source.sizes = "(min-width: 700px) 20vw, 50vw";
      picture.insertBefore(source, img);
    });
    var fallback = formats[formats.length - 1][0];
    img.src = u["grid." + fallback];
    img.srcset = srcset(fallback);
    img.sizes = "(min-width: 700px) 20vw, 50vw";
    img.width = photo.width;
    img.height = photo.height;
    img.alt = photo.filename;
    img.style.background = (photo.color || "#ddd") + " url('" + photo.placeholder + "') center/cover no-repeat";
    tile.querySelector(".owner-tile__name").textContent = photo.filename;
    grid.appendChild(tile);
    var empty = document.querySelector("[data-empty]");
    if (empty) empty.remove();
    var count = document.querySelector("[data-photo-count]");
    if (count) count.textContent = grid.children.length;
  }

  function enableReorder() {
    if (!grid) return;
    var dragged = null;
    grid.addEventListener("dragstart", function (e) {
      dragged = e.target.closest(".owner-tile");
      if (!dragged) return;
      dragged.classList.add("owner-tile--dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", dragged.dataset.id);
    });
    grid.addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      var over = e.target.closest(".owner-tile");
      if (!over || over === dragged) return;
      var box = over.getBoundingClientRect();
      var after = (e.clientX - box.left) > box.width / 2;
      grid.insertBefore(dragged, after ? over.nextSibling : over);
    });
    grid.addEventListener("drop", function (e) { if (dragged) e.preventDefault(); });
    grid.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("owner-tile--dragging");
      dragged = null;
      var ids = Array.from(grid.querySelectorAll(".owner-tile")).map(function (t) { return t.dataset.id; });
      api("POST", grid.dataset.reorderUrl, { ids: ids });
    });
  }

  function trackSelection() {
    var manager = document.querySelector("[data-photo-manager]");
    var label = document.querySelector("[data-selection-count]");
    if (!manager || !label) return;
    var initial = label.textContent;
    manager.addEventListener("change", function () {
      var n = manager.querySelectorAll("input[name=photo]:checked").length;
      label.textContent = n ? n + " selected" : initial;
      manager.classList.toggle("photo-manager--selecting", n > 0);
    });
  }

  if (root) new Uploader(root);
  enableReorder();
  trackSelection();
})();
