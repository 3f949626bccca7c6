/*
 * docfraud operator console: send one document (a scan) or several (a case) to the service,
 * show the verdict, the page with each finding's region, and the findings.
 *
 * Every result is untrusted: the text in it was read from a document a forger may have made.
 * It is put on the page only with textContent / createElement, never as HTML.
 * The API key lives in sessionStorage (this tab only), never in localStorage.
 */
(function () {
  "use strict";

  var KEY_STORAGE = "docfraud.apiKey";
  var POLL_INTERVAL_MS = 1000;
  var POLL_LIMIT_MS = 60000;
  var VERDICTS = ["genuine", "suspicious", "forged", "unreadable"];
  var SEVERITIES = ["critical", "warning", "info"];

  var el = {};
  // Everything belonging to the result on screen; replaced as a whole by each new submission.
  var run = { id: 0, blobUrls: [], images: new Map(), pollTimer: null, pinned: null, shown: "" };

  // --- small helpers -----------------------------------------------------------------------

  function $(id) {
    return document.getElementById(id);
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  function obj(value) {
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  }

  function verdictOf(value) {
    var v = str(value).toLowerCase();
    return VERDICTS.indexOf(v) >= 0 ? v : "unreadable";
  }

  function severityOf(value) {
    var s = str(value).toLowerCase();
    return SEVERITIES.indexOf(s) >= 0 ? s : "info";
  }

  function scoreText(value) {
    return typeof value === "number" && isFinite(value) ? value.toFixed(2) : "–";
  }

  function isBox(box) {
    return (
      Array.isArray(box) &&
      box.length === 4 &&
      box.every(function (v) {
        return typeof v === "number" && isFinite(v);
      }) &&
      box[2] > 0 &&
      box[3] > 0
    );
  }

  // --- API key -----------------------------------------------------------------------------

  function storedKey() {
    try {
      return window.sessionStorage.getItem(KEY_STORAGE) || "";
    } catch (e) {
      return "";
    }
  }

  function saveKey(value) {
    try {
      if (value) window.sessionStorage.setItem(KEY_STORAGE, value);
      else window.sessionStorage.removeItem(KEY_STORAGE);
    } catch (e) {
      /* storage disabled: the key stays in the field only */
    }
  }

  function apiKey() {
    return el.apiKey.value.trim();
  }

  // --- errors and status -------------------------------------------------------------------

  function ApiError(code, message, status) {
    this.code = code;
    this.message = message;
    this.status = status || 0;
  }

  function showError(code, message) {
    el.errorCode.textContent = str(code);
    el.errorMessage.textContent = str(message);
    el.error.setAttribute("data-code", str(code));
    el.error.hidden = false;
  }

  function clearError() {
    el.error.hidden = true;
    el.error.removeAttribute("data-code");
    el.errorCode.textContent = "";
    el.errorMessage.textContent = "";
  }

  function reportError(err) {
    if (err instanceof ApiError) {
      showError(err.code, err.message);
    } else {
      // A bug in this page, not a service error: say so without a stack trace.
      showError("CONSOLE.ERROR", "The console could not show this result.");
      if (window.console) window.console.error(err);
    }
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  // --- talking to the service --------------------------------------------------------------

  async function errorFrom(response) {
    var code = "HTTP." + response.status;
    var message = response.statusText || "The service answered with an error.";
    try {
      var body = await response.json();
      if (body && typeof body === "object") {
        if (typeof body.code === "string" && body.code) code = body.code;
        if (typeof body.message === "string" && body.message) message = body.message;
        else if (typeof body.detail === "string" && body.detail) message = body.detail;
      }
    } catch (e) {
      /* not JSON: keep the status line */
    }
    if (response.status === 401 && !apiKey()) {
      message += " Enter the station's API key above.";
    }
    var retry = response.headers.get("Retry-After");
    if ((response.status === 503 || response.status === 429) && retry) {
      var seconds = parseInt(retry, 10);
      message += isFinite(seconds)
        ? " Try again in " + seconds + " second" + (seconds === 1 ? "" : "s") + "."
        : " Try again later.";
    }
    return new ApiError(code, message, response.status);
  }

  async function api(path, options) {
    var opts = Object.assign({ method: "GET" }, options || {});
    var headers = new Headers(opts.headers || {});
    var key = apiKey();
    if (key) headers.set("Authorization", "Bearer " + key);
    opts.headers = headers;
    opts.credentials = "same-origin";
    opts.cache = "no-store";
    var response;
    try {
      response = await fetch(path, opts);
    } catch (e) {
      throw new ApiError("NETWORK.UNREACHABLE", "The docfraud service could not be reached.");
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async function apiJson(path, options) {
    var response = await api(path, options);
    try {
      return await response.json();
    } catch (e) {
      throw new ApiError("CONSOLE.BAD_RESPONSE", "The service sent a result the console cannot read.");
    }
  }

  async function apiBlobUrl(path) {
    var blob = await (await api(path)).blob();
    var url = URL.createObjectURL(blob);
    run.blobUrls.push(url);
    return url;
  }

  function scanPath(scanId) {
    return "/v1/scans/" + encodeURIComponent(str(scanId));
  }

  // --- a new submission --------------------------------------------------------------------

  function resetRun() {
    if (run.pollTimer !== null) window.clearTimeout(run.pollTimer);
    run.blobUrls.forEach(function (url) {
      URL.revokeObjectURL(url);
    });
    run = { id: run.id + 1, blobUrls: [], images: new Map(), pollTimer: null, pinned: null, shown: "" };
    return run.id;
  }

  async function submit(files) {
    if (!files.length) return;
    var id = resetRun();
    clearError();
    el.result.hidden = true;
    el.documents.replaceChildren();
    el.caseList.replaceChildren();
    var isCase = files.length > 1;
    var form = new FormData();
    files.forEach(function (file) {
      form.append(isCase ? "files" : "file", file, file.name);
    });
    var caseId = el.caseId.value.trim();
    if (!isCase && caseId) form.append("case_id", caseId);
    setStatus(
      isCase ? "Checking " + files.length + " documents as a case…" : "Checking " + files[0].name + "…"
    );
    el.fileInput.disabled = true;
    el.dropZone.classList.add("busy");
    try {
      var result = await apiJson(isCase ? "/v1/cases" : "/v1/scans", { method: "POST", body: form });
      if (id !== run.id) return;
      if (isCase) showCase(result);
      else showScan(result, Date.now());
    } catch (err) {
      if (id !== run.id) return;
      setStatus("");
      reportError(err);
    } finally {
      el.fileInput.disabled = false;
      el.fileInput.value = "";
      el.dropZone.classList.remove("busy");
    }
  }

  // --- a scan, polled while the visual zone is read ----------------------------------------

  function showScan(scan, started) {
    scan = obj(scan);
    var status = str(scan.status);
    var fingerprint = JSON.stringify(scan);
    if (fingerprint !== run.shown) {
      run.shown = fingerprint;
      var docs = list(scan.documents).map(function (doc) {
        return Object.assign({}, obj(doc), { scan_id: obj(doc).scan_id || scan.scan_id });
      });
      var meta = ["Scan " + str(scan.scan_id)];
      if (scan.created_at) meta.push(str(scan.created_at));
      if (scan.station) meta.push("station " + str(scan.station));
      render(scan.verdict, scan.fraud_score, meta.join(" · "), scan.duplicate_of, docs, []);
    }
    if (status === "partial") {
      if (Date.now() - started >= POLL_LIMIT_MS) {
        setStatus(
          "The visual zone is taking longer than expected. The MRZ result is shown; open the " +
            "scan again later for the full result."
        );
        return;
      }
      setStatus("Reading the visual zone…");
      schedulePoll(scan.scan_id, started);
    } else if (status === "failed") {
      setStatus("The visual zone could not be read; the result covers the MRZ and image checks.");
    } else {
      setStatus("Complete.");
    }
  }

  function schedulePoll(scanId, started) {
    var id = run.id;
    run.pollTimer = window.setTimeout(async function () {
      run.pollTimer = null;
      try {
        var scan = await apiJson(scanPath(scanId));
        if (id !== run.id) return;
        showScan(scan, started);
      } catch (err) {
        if (id !== run.id) return;
        var fatal = err instanceof ApiError && [401, 403, 404].indexOf(err.status) >= 0;
        if (fatal) {
          setStatus("");
          reportError(err);
        } else if (Date.now() - started < POLL_LIMIT_MS) {
          schedulePoll(scanId, started); // a busy or briefly unreachable service: try again
        } else {
          reportError(err);
        }
      }
    }, POLL_INTERVAL_MS);
  }

  // --- a case ------------------------------------------------------------------------------

  function showCase(result) {
    result = obj(result);
    var meta = ["Case " + str(result.case_id), list(result.sources).length + " files"];
    render(result.verdict, result.fraud_score, meta.join(" · "), null, list(result.documents), list(result.findings));
    setStatus("Complete.");
  }

  // --- rendering ---------------------------------------------------------------------------

  function render(verdict, score, meta, duplicateOf, docs, caseFindings) {
    var v = verdictOf(verdict);
    var focused = document.activeElement && document.activeElement.getAttribute("data-finding");
    el.verdict.textContent = v.toUpperCase();
    el.verdict.setAttribute("data-verdict", v);
    el.banner.className = "verdict-banner verdict-" + v;
    el.score.textContent = "fraud score " + scoreText(score);
    var duplicate = duplicateOf && typeof duplicateOf === "object" ? obj(duplicateOf).scan_id : duplicateOf;
    el.meta.textContent = meta + (duplicate ? " · the same file was scanned before: " + str(duplicate) : "");

    el.caseList.replaceChildren();
    var regionsByDoc = docs.map(function () {
      return [];
    });
    var sortedCase = sortBySeverity(caseFindings);
    var caseIds = findingIds("case", sortedCase);
    sortedCase.forEach(function (f, i) {
      var fid = caseIds[i];
      el.caseList.appendChild(findingItem(f, fid));
      list(f.regions).forEach(function (r) {
        r = obj(r);
        docs.forEach(function (doc, d) {
          if (str(r.source) === str(doc.source) && (r.page === undefined || r.page === doc.page)) {
            regionsByDoc[d].push({ finding: f, id: fid, box: r.box });
          }
        });
      });
    });
    el.caseFindings.hidden = caseFindings.length === 0;

    el.documents.replaceChildren();
    docs.forEach(function (doc, d) {
      el.documents.appendChild(documentView(obj(doc), d, docs.length, regionsByDoc[d]));
    });
    if (!docs.length) el.documents.appendChild(make("p", "empty", "No document was analysed."));
    el.result.hidden = false;

    if (run.pinned) {
      highlight(run.pinned, true);
      el.result.querySelectorAll(".finding").forEach(function (node) {
        node.setAttribute("aria-pressed", String(node.getAttribute("data-finding") === run.pinned));
      });
    }
    if (focused) {
      var again = el.result.querySelector('.finding[data-finding="' + cssEscape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/[^\w-]/g, "\\$&");
  }

  /** Ids for findings that stay the same when a poll re-renders: prefix, code, occurrence. */
  function findingIds(prefix, findings) {
    var seen = {};
    return findings.map(function (f) {
      var code = str(f.code);
      seen[code] = (seen[code] || 0) + 1;
      return prefix + ":" + code + ":" + seen[code];
    });
  }

  function sortBySeverity(findings) {
    return list(findings)
      .map(obj)
      .map(function (f, i) {
        return { f: f, i: i };
      })
      .sort(function (a, b) {
        var d = SEVERITIES.indexOf(severityOf(a.f.severity)) - SEVERITIES.indexOf(severityOf(b.f.severity));
        return d || a.i - b.i;
      })
      .map(function (x) {
        return x.f;
      });
  }

  /** The boxes a document's own finding points at on this page. */
  function ownRegions(doc, f) {
    var boxes = [];
    var regions = list(f.regions);
    if (regions.length) {
      regions.forEach(function (r) {
        r = obj(r);
        if (r.page !== undefined && doc.page !== undefined && r.page !== doc.page) return;
        if (r.source && doc.source && str(r.source) !== str(doc.source)) return;
        boxes.push(r.box);
      });
    } else if (f.page === undefined || f.page === null || f.page === doc.page) {
      boxes.push(f.region);
    }
    return boxes.filter(isBox);
  }

  function documentView(doc, index, count, caseRegions) {
    var info = obj(doc.document);
    var article = make("article", "document");
    article.setAttribute("data-index", String(index));

    var title = "Document " + (index + 1) + (count > 1 ? " of " + count : "");
    var heading = make("h2", "document-title", title);
    article.appendChild(heading);

    var facts = make("p", "document-facts");
    var docVerdict = verdictOf(doc.verdict);
    var badge = make("span", "badge verdict-" + docVerdict, docVerdict.toUpperCase());
    facts.appendChild(badge);
    var parts = [];
    if (doc.role) parts.push(str(doc.role));
    parts.push(str(info.kind || "unknown"));
    if (info.issuing_state) parts.push(str(info.issuing_state));
    if (info.mrz_format) parts.push(str(info.mrz_format));
    if (doc.source) parts.push(str(doc.source) + (typeof doc.page === "number" ? ", page " + (doc.page + 1) : ""));
    facts.appendChild(make("span", "facts", parts.join(" · ")));
    facts.appendChild(make("span", "score-small", "score " + scoreText(doc.fraud_score)));
    article.appendChild(facts);

    var body = make("div", "document-body");
    var findings = sortBySeverity(doc.findings);
    var ids = findingIds("d" + index, findings);
    var marks = [];
    findings.forEach(function (f, i) {
      var fid = ids[i];
      ownRegions(doc, f).forEach(function (box) {
        marks.push({ finding: f, id: fid, box: box });
      });
    });
    caseRegions.forEach(function (m) {
      if (isBox(m.box)) marks.push(m);
    });
    body.appendChild(pageView(doc, marks));

    var side = make("div", "document-side");
    side.appendChild(make("h3", null, "Findings (" + findings.length + ")"));
    if (findings.length) {
      var ol = make("ol", "findings");
      findings.forEach(function (f, i) {
        ol.appendChild(findingItem(f, ids[i]));
      });
      side.appendChild(ol);
    } else {
      side.appendChild(make("p", "empty", "No findings."));
    }

    var mrzLines = list(obj(doc.mrz).lines);
    if (mrzLines.length) {
      side.appendChild(make("h3", null, "MRZ"));
      side.appendChild(make("pre", "mrz", mrzLines.map(str).join("\n")));
    }

    var skipped = list(doc.skipped).map(obj);
    if (skipped.length) {
      var details = make("details", "skipped");
      details.appendChild(make("summary", null, "Checks not run (" + skipped.length + ")"));
      var ul = make("ul");
      skipped.forEach(function (s) {
        var li = make("li");
        li.appendChild(make("code", null, str(s.check)));
        li.appendChild(document.createTextNode(": " + str(s.reason)));
        ul.appendChild(li);
      });
      details.appendChild(ul);
      side.appendChild(details);
    }

    var fields = list(obj(doc.viz).fields).concat(list(obj(doc.letter).fields)).map(obj);
    if (fields.length) side.appendChild(fieldsView(fields));

    if (doc.scan_id) {
      var reportButton = make("button", "report-button", "Open printable report");
      reportButton.type = "button";
      reportButton.addEventListener("click", function () {
        openReport(doc.scan_id);
      });
      side.appendChild(reportButton);
    }
    body.appendChild(side);
    article.appendChild(body);
    return article;
  }

  function fieldsView(fields) {
    var details = make("details", "fields");
    details.appendChild(make("summary", null, "Fields read (" + fields.length + ")"));
    var table = make("table");
    var head = make("tr");
    ["Field", "Text read", "Value", "Confidence"].forEach(function (h) {
      var th = make("th", null, h);
      th.scope = "col";
      head.appendChild(th);
    });
    var thead = make("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = make("tbody");
    fields.forEach(function (f) {
      var tr = make("tr");
      tr.appendChild(make("td", null, str(f.name)));
      tr.appendChild(make("td", null, str(f.text)));
      tr.appendChild(make("td", null, str(f.value)));
      tr.appendChild(make("td", "num", f.confidence === undefined ? "" : scoreText(f.confidence)));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    details.appendChild(table);
    return details;
  }

  function findingItem(f, fid) {
    var severity = severityOf(f.severity);
    var li = make("li", "finding sev-" + severity);
    li.setAttribute("data-code", str(f.code));
    li.setAttribute("data-finding", fid);
    li.setAttribute("data-severity", severity);
    li.tabIndex = 0;
    li.setAttribute("role", "button");
    li.setAttribute("aria-pressed", "false");
    li.appendChild(make("span", "sev", severity.toUpperCase()));
    li.appendChild(make("code", "code", str(f.code)));
    li.appendChild(make("span", "message", str(f.message)));
    return li;
  }

  function pageView(doc, marks) {
    var figure = make("figure", "page");
    var frame = make("div", "page-frame");
    var size = Array.isArray(doc.image_size) && isBox([0, 0].concat(doc.image_size)) ? doc.image_size : null;
    if (size) frame.style.aspectRatio = size[0] + " / " + size[1];
    var img = make("img", "page-image");
    img.alt = "Page " + (typeof doc.page === "number" ? doc.page + 1 : "") + " of " + str(doc.source);
    frame.appendChild(img);
    var overlay = make("div", "overlay");
    overlay.setAttribute("aria-hidden", "true");
    frame.appendChild(overlay);
    figure.appendChild(frame);
    var caption = make("figcaption", "page-caption");
    figure.appendChild(caption);

    var place = function (width, height) {
      overlay.replaceChildren();
      marks.forEach(function (m) {
        overlay.appendChild(regionBox(m, width, height));
      });
    };
    // Regions are in the page's pixels (image_size); without it, wait for the image's own size.
    if (size) place(size[0], size[1]);
    img.addEventListener("load", function () {
      if (!size && img.naturalWidth && img.naturalHeight) place(img.naturalWidth, img.naturalHeight);
    });

    var scanId = doc.scan_id;
    var page = typeof doc.page === "number" ? doc.page : 0;
    if (!scanId) {
      caption.textContent = "No page image for this document.";
      return figure;
    }
    var key = str(scanId) + "/" + page;
    var cached = run.images.get(key);
    var id = run.id;
    var loading = cached || apiBlobUrl(scanPath(scanId) + "/evidence/page-" + page + ".png");
    run.images.set(key, loading);
    loading.then(
      function (url) {
        if (id === run.id) img.src = url;
      },
      function (err) {
        if (id !== run.id) return;
        run.images.delete(key); // let a later render try again
        frame.classList.add("no-image");
        caption.textContent =
          "The page image could not be shown" + (err instanceof ApiError ? " (" + err.code + ")." : ".");
      }
    );
    return figure;
  }

  function regionBox(mark, width, height) {
    var box = mark.box;
    var x0 = Math.max(0, Math.min(width, box[0]));
    var y0 = Math.max(0, Math.min(height, box[1]));
    var x1 = Math.max(0, Math.min(width, box[0] + box[2]));
    var y1 = Math.max(0, Math.min(height, box[1] + box[3]));
    var div = make("div", "region sev-" + severityOf(mark.finding.severity));
    div.setAttribute("data-code", str(mark.finding.code));
    div.setAttribute("data-finding", mark.id);
    // Percentages of the page, so the boxes follow the image at any displayed size.
    div.style.left = (100 * x0) / width + "%";
    div.style.top = (100 * y0) / height + "%";
    div.style.width = (100 * (x1 - x0)) / width + "%";
    div.style.height = (100 * (y1 - y0)) / height + "%";
    if (x1 <= x0 || y1 <= y0) div.hidden = true;
    div.appendChild(make("span", "region-label", str(mark.finding.code)));
    return div;
  }

  // --- highlighting ------------------------------------------------------------------------

  function highlight(fid, on) {
    var selector = '[data-finding="' + cssEscape(fid) + '"]';
    el.result.querySelectorAll(".region.active, .finding.active").forEach(function (node) {
      if (node.getAttribute("data-finding") !== fid || !on) node.classList.remove("active");
    });
    el.result.querySelectorAll(".overlay").forEach(function (overlay) {
      overlay.classList.toggle("has-active", on && !!overlay.querySelector(selector));
    });
    if (!on) return;
    el.result.querySelectorAll(selector).forEach(function (node) {
      node.classList.add("active");
    });
  }

  function findingFrom(event) {
    var target = event.target;
    return target && target.closest ? target.closest(".finding") : null;
  }

  function showHighlight(fid) {
    highlight(fid || run.pinned || "", !!(fid || run.pinned));
  }

  function togglePin(item) {
    var fid = item.getAttribute("data-finding");
    run.pinned = run.pinned === fid ? null : fid;
    el.result.querySelectorAll(".finding").forEach(function (node) {
      node.setAttribute("aria-pressed", String(node.getAttribute("data-finding") === run.pinned));
    });
    showHighlight(run.pinned);
    if (run.pinned) {
      var region = el.result.querySelector('.region[data-finding="' + cssEscape(fid) + '"]');
      if (region && region.scrollIntoView) region.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  function bindHighlighting() {
    el.result.addEventListener("mouseover", function (event) {
      var item = findingFrom(event);
      if (item) showHighlight(item.getAttribute("data-finding"));
    });
    el.result.addEventListener("mouseout", function (event) {
      var item = findingFrom(event);
      if (item && !item.contains(event.relatedTarget)) showHighlight(null);
    });
    el.result.addEventListener("focusin", function (event) {
      var item = findingFrom(event);
      if (item) showHighlight(item.getAttribute("data-finding"));
    });
    el.result.addEventListener("focusout", function (event) {
      if (findingFrom(event)) showHighlight(null);
    });
    el.result.addEventListener("click", function (event) {
      var item = findingFrom(event);
      if (item) togglePin(item);
    });
    el.result.addEventListener("keydown", function (event) {
      var item = findingFrom(event);
      if (!item) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        togglePin(item);
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var items = Array.prototype.slice.call(el.result.querySelectorAll(".finding"));
        var next = items[items.indexOf(item) + (event.key === "ArrowDown" ? 1 : -1)];
        if (next) {
          event.preventDefault();
          next.focus();
        }
      } else if (event.key === "Escape" && run.pinned) {
        togglePin(el.result.querySelector('.finding[data-finding="' + cssEscape(run.pinned) + '"]') || item);
      }
    });
  }

  // --- the printable report ----------------------------------------------------------------

  async function openReport(scanId) {
    // Open the tab now, while the click still counts as the user's, then fill it.
    var tab = window.open("", "_blank");
    try {
      var url = await apiBlobUrl(scanPath(scanId) + "/report");
      if (tab) {
        tab.opener = null;
        tab.location.href = url;
      } else {
        var a = make("a");
        a.href = url;
        a.download = "docfraud-" + str(scanId) + ".html";
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
    } catch (err) {
      if (tab) tab.close();
      reportError(err);
    }
  }

  // --- drop zone and file input ------------------------------------------------------------

  function bindInput() {
    el.fileInput.addEventListener("change", function () {
      submit(Array.prototype.slice.call(el.fileInput.files || []));
    });
    ["dragenter", "dragover"].forEach(function (type) {
      el.dropZone.addEventListener(type, function (event) {
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
        el.dropZone.classList.add("dragging");
      });
    });
    ["dragleave", "dragend"].forEach(function (type) {
      el.dropZone.addEventListener(type, function (event) {
        if (!el.dropZone.contains(event.relatedTarget)) el.dropZone.classList.remove("dragging");
      });
    });
    el.dropZone.addEventListener("drop", function (event) {
      event.preventDefault();
      el.dropZone.classList.remove("dragging");
      if (el.fileInput.disabled) return;
      var files = event.dataTransfer ? Array.prototype.slice.call(event.dataTransfer.files) : [];
      submit(files);
    });
    // A file dropped beside the zone must not replace the console with the file.
    window.addEventListener("dragover", function (event) {
      event.preventDefault();
    });
    window.addEventListener("drop", function (event) {
      event.preventDefault();
    });
  }

  function bindKey() {
    el.apiKey.value = storedKey();
    el.apiKey.addEventListener("input", function () {
      saveKey(apiKey());
    });
    el.keyForm.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    el.forgetKey.addEventListener("click", function () {
      saveKey("");
      el.apiKey.value = "";
      el.apiKey.focus();
      setStatus("The API key was forgotten.");
    });
  }

  function init() {
    el.apiKey = $("api-key");
    el.keyForm = $("key-form");
    el.forgetKey = $("forget-key");
    el.fileInput = $("file-input");
    el.dropZone = $("drop-zone");
    el.caseId = $("case-id");
    el.error = $("error");
    el.errorCode = $("error-code");
    el.errorMessage = $("error-message");
    el.status = $("status");
    el.result = $("result");
    el.banner = $("verdict-banner");
    el.verdict = $("verdict");
    el.score = $("score");
    el.meta = $("result-meta");
    el.caseFindings = $("case-findings");
    el.caseList = $("case-finding-list");
    el.documents = $("documents");
    bindKey();
    bindInput();
    bindHighlighting();
    window.addEventListener("pagehide", function () {
      resetRun();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
