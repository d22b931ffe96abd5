/* iduit offline site: the checklist page as a working tool, and each action's tick on the chapter pages.
 * No framework, nothing loaded from anywhere.
 *
 * Each action's tick, answer (done, partly, not yet, n/a: the statuses of iduit assess) and note are
 * kept in this browser's localStorage, under a key that names the site's language and its set of
 * actions (data-key), so the English and Russian sites, or an older copy, never mix their answers.
 * Each answer keeps the wording of its action, so when a newer copy of the site changes the actions
 * (a new key), the answers whose action reads the same can be brought over, and no other.
 * A tick is the answer "done". "Save my answers" writes the CSV that `iduit assess import` reads:
 * columns action, section, text, status, note, by and answered (the name given on the page, if any,
 * and the time in UTC); a row for each action answered or noted. An iduit that does not keep who and
 * when ignores those two columns.
 * A chapter page's action boxes (input[data-action], the same ids) read and write the same answers:
 * a tick there is "done" on the checklist page and the other way round, and open tabs follow each
 * other through the storage event.
 * Where the browser keeps nothing (a private window, storage blocked for files), the page says so,
 * once, and the answers last until it is closed. The page's words come from its data-* attributes.
 */
(function () {
  "use strict";

  var tool = document.getElementById("checklist-tool"); // the checklist page
  var holder = tool || document.getElementById("actions-store"); // or a chapter page with actions
  if (!holder) return;
  var key = holder.getAttribute("data-key");
  var STATUSES = ["done", "partly", "not yet", "n/a"];
  var COLUMNS = ["action", "section", "text", "status", "note", "by", "answered"];
  var NAME_KEY = "iduit-checklist/name"; // who answers on this device: the same on every copy of the site

  function words(name) {
    return holder.getAttribute("data-" + name) || "";
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function plain(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  // localStorage may be missing, or throw on use (blocked, private, full): then nothing is kept.
  var storage = null;
  try {
    var probe = key + "/probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    storage = window.localStorage;
  } catch (e) {
    storage = null;
  }

  function load(where) {
    var found = {};
    if (!storage) return found;
    try {
      var data = JSON.parse(storage.getItem(where) || "{}");
      var answers = data && typeof data === "object" ? data.answers : null;
      if (!answers || typeof answers !== "object") return found;
      Object.keys(answers).forEach(function (id) {
        var a = answers[id] || {};
        var status = STATUSES.indexOf(a.status) >= 0 ? a.status : "";
        var note = typeof a.note === "string" ? a.note : "";
        var text = typeof a.text === "string" ? a.text : "";
        var by = typeof a.by === "string" ? a.by : "";
        var answered = typeof a.answered === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(a.answered) ? a.answered : "";
        if (status || note) found[id] = { status: status, note: note, text: text, by: by, answered: answered };
      });
    } catch (e) {
      return {};
    }
    return found;
  }

  var answers = load(key);
  var say = function () {}; // each page says things in its own place

  function keep() {
    if (!storage) return;
    try {
      if (Object.keys(answers).length) storage.setItem(key, JSON.stringify({ answers: answers }));
      else storage.removeItem(key);
    } catch (e) {
      say(words("not-saved"));
    }
  }

  // When an answer was given, as iduit writes times: UTC, to the second (2026-01-15T09:30:00Z).
  function moment() {
    return new Date().toISOString().replace(/\.\d+Z$/, "Z");
  }

  function keptName() {
    try {
      return (storage && storage.getItem(NAME_KEY)) || "";
    } catch (e) {
      return "";
    }
  }

  if (tool) checklistPage();
  else chapterActions();

  // A chapter page: each action's box shows and sets the answer "done", kept where the checklist page keeps it.
  function chapterActions() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][data-action]"));
    if (!boxes.length) return;
    var said = false;
    say = function (text) {
      if (said) return; // one notice on the page, not one per box
      said = true;
      holder.textContent = text;
      holder.hidden = false;
    };

    function show() {
      boxes.forEach(function (box) {
        var a = answers[box.getAttribute("data-action")];
        box.checked = !!a && a.status === "done";
      });
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        if (storage) answers = load(key); // what the checklist page or another tab kept since
        var id = box.getAttribute("data-action");
        var a = answers[id];
        var note = a ? a.note : "";
        var text = plain(box.parentNode.textContent);
        if (box.checked) {
          answers[id] = { status: "done", note: note, text: text, by: keptName(), answered: moment() };
        } else if (a && a.status === "done") {
          // Unticked: no longer "done"; a note given on the checklist page stays.
          if (note.trim()) answers[id] = { status: "", note: note, text: text, by: keptName(), answered: moment() };
          else delete answers[id];
        }
        keep();
        show();
      });
    });

    window.addEventListener("storage", function (event) {
      if (event.key !== key && event.key !== null) return;
      answers = load(key);
      show();
    });

    if (!storage) say(words("not-kept"));
    show();
    window.iduitActions = { kept: storage !== null, key: key };
  }

  function checklistPage() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-action]"));

    function actionText(row) {
      return plain(row.querySelector("td.text").textContent);
    }

    var status = document.getElementById("checklist-status");
    say = function (text) {
      status.textContent = text;
    };

    function parts(row) {
      return {
        id: row.getAttribute("data-action"),
        tick: row.querySelector("input[type=checkbox]"),
        answer: row.querySelector("select"),
        note: row.querySelector("textarea"),
        boxes: row.querySelectorAll(".box"),
        noteText: row.querySelector(".note-text"),
      };
    }

    // What the row shows on paper: the chosen answer's box filled, the note written out.
    function paint(row) {
      var p = parts(row);
      var a = answers[p.id] || { status: "", note: "" };
      Array.prototype.forEach.call(p.boxes, function (box) {
        box.classList.toggle("chosen", box.getAttribute("data-status") === a.status);
      });
      p.noteText.textContent = a.note;
      row.classList.toggle("answered", a.status !== "");
    }

    function show(row) {
      var p = parts(row);
      var a = answers[p.id] || { status: "", note: "" };
      p.answer.value = a.status;
      p.tick.checked = a.status === "done";
      p.note.value = a.note;
      paint(row);
    }

    function progress() {
      var answered = rows.filter(function (row) {
        var a = answers[row.getAttribute("data-action")];
        return a && a.status;
      }).length;
      document.getElementById("checklist-progress").textContent = fill(words("progress"), {
        answered: answered,
        total: rows.length,
      });
    }

    var nameField = document.getElementById("checklist-name");
    function who() {
      return nameField.value.replace(/\s+/g, " ").trim();
    }
    nameField.value = keptName();
    nameField.addEventListener("change", function () {
      if (!storage) return;
      try {
        if (who()) storage.setItem(NAME_KEY, who());
        else storage.removeItem(NAME_KEY);
      } catch (e) {
        say(words("not-saved"));
      }
    });

    function record(row) {
      var p = parts(row);
      var answer = p.answer.value;
      var note = p.note.value;
      if (answer || note.trim()) {
        answers[p.id] = { status: answer, note: note, text: actionText(row), by: who(), answered: moment() };
      } else delete answers[p.id];
      keep();
      paint(row);
      progress();
    }

    // The answer list and the note field: one copy in the page, cloned into each row, each named for screen readers.
    var controls = document.getElementById("checklist-controls").content;
    rows.forEach(function (row) {
      var id = row.getAttribute("data-action");
      var answer = controls.querySelector("select").cloneNode(true);
      answer.id = "answer-" + id;
      answer.setAttribute("aria-label", fill(words("answer-for"), { id: id }));
      row.querySelector("td.answer").insertBefore(answer, row.querySelector("td.answer").firstChild);
      var note = controls.querySelector("textarea").cloneNode(true);
      note.id = "note-" + id;
      note.setAttribute("aria-label", fill(words("note-on"), { id: id }));
      row.querySelector("td.note").insertBefore(note, row.querySelector("td.note").firstChild);
    });

    rows.forEach(function (row) {
      var p = parts(row);
      p.tick.addEventListener("change", function () {
        if (p.tick.checked) p.answer.value = "done";
        else if (p.answer.value === "done") p.answer.value = "";
        record(row);
      });
      p.answer.addEventListener("change", function () {
        p.tick.checked = p.answer.value === "done";
        record(row);
      });
      p.note.addEventListener("input", function () {
        record(row);
      });
      show(row);
    });

    // A cell as a spreadsheet shows it: never run as a formula (as iduit's own CSV writes it), quoted when needed.
    function cell(text) {
      text = String(text);
      if (/^[=+\-@\t\r']/.test(text)) text = "'" + text;
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }

    function csv() {
      var lines = [COLUMNS.join(",")];
      rows.forEach(function (row) {
        var id = row.getAttribute("data-action");
        var a = answers[id];
        if (!a) return;
        var line = [id, row.getAttribute("data-section"), actionText(row), a.status, a.note.trim(), a.by, a.answered];
        lines.push(line.map(cell).join(","));
      });
      // The byte order mark lets spreadsheets read the letters right; iduit assess import reads past it.
      return { text: "\ufeff" + lines.join("\r\n") + "\r\n", answered: lines.length - 1 };
    }

    function fileName() {
      var now = new Date();
      var pad = function (n) {
        return (n < 10 ? "0" : "") + n;
      };
      var day = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
      return "iduit-checklist-" + tool.getAttribute("data-lang") + "-" + day + ".csv";
    }

    document.getElementById("checklist-save").addEventListener("click", function () {
      var made = csv();
      if (!made.answered) {
        say(words("nothing"));
        return;
      }
      var name = fileName();
      var url = URL.createObjectURL(new Blob([made.text], { type: "text/csv;charset=utf-8" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () {
        URL.revokeObjectURL(url);
      }, 60000);
      say(fill(words("saved"), { file: name, answered: made.answered }));
    });

    document.getElementById("checklist-print").addEventListener("click", function () {
      window.print();
    });

    document.getElementById("checklist-clear").addEventListener("click", function () {
      if (!window.confirm(words("confirm"))) return;
      answers = {};
      keep();
      rows.forEach(show);
      progress();
      say(words("cleared"));
    });

    // The same checklist open in another tab or window: take its changes, so neither overwrites the other's.
    window.addEventListener("storage", function (event) {
      if (event.key !== key && event.key !== null) return;
      answers = load(key);
      rows.forEach(show);
      progress();
    });

    // Answers an earlier copy of the site kept (other actions, so another key): offered, never taken unasked.
    function earlierKeys() {
      var found = [];
      if (!storage) return found;
      var prefix = key.slice(0, key.lastIndexOf("/") + 1); // the same language
      for (var i = 0; i < storage.length; i++) {
        var name = storage.key(i);
        if (name && name !== key && name.indexOf(prefix) === 0 && Object.keys(load(name)).length) found.push(name);
      }
      return found.sort();
    }

    var earlier = document.getElementById("checklist-earlier");
    var earlierFound = Object.keys(answers).length ? [] : earlierKeys();
    earlier.hidden = !earlierFound.length;
    document.getElementById("checklist-bring").addEventListener("click", function () {
      var byId = {};
      rows.forEach(function (row) {
        byId[row.getAttribute("data-action")] = row;
      });
      var brought = {};
      var left = {};
      earlierFound.forEach(function (name) {
        var old = load(name);
        Object.keys(old).forEach(function (id) {
          var row = byId[id];
          if (row && old[id].text === actionText(row)) {
            brought[id] = old[id];
            delete left[id];
          } else if (!brought[id]) left[id] = true;
        });
      });
      Object.keys(brought).forEach(function (id) {
        if (!answers[id]) answers[id] = brought[id];
      });
      keep();
      rows.forEach(show);
      progress();
      earlier.hidden = true;
      say(fill(words("brought"), { brought: Object.keys(brought).length, left: Object.keys(left).length }));
    });

    var where = document.getElementById("checklist-storage");
    where.textContent = storage ? words("kept") : words("not-kept");
    where.classList.toggle("notice", !storage);
    tool.hidden = false;
    progress();

    // For the tests and anyone curious: what the page would save, and whether answers are kept.
    window.iduitChecklist = {
      csv: function () {
        return csv().text;
      },
      kept: storage !== null,
      key: key,
    };
  }
})();
