// Draws the compliance report from the data embedded in the page: the JSON contract
// of `policylint lint --format json` and the laws with their rules' metadata. One
// policy reads as a checklist grouped by law; several as a matrix, drawn a batch of
// rows at a time so that hundreds of policies open quickly.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("policylint-data").textContent);
  var catalog = JSON.parse(document.getElementById("policylint-catalog").textContent);
  var files = data.files;
  var laws = catalog.laws;
  var rules = catalog.rules;

  // Every rule once, in law order; cells name rules by their place in this list.
  var ruleIds = [];
  var lawOfRule = {};
  laws.forEach(function (law, li) {
    law.rules.forEach(function (id) {
      lawOfRule[id] = li;
      ruleIds.push(id);
    });
  });

  var MARKS = {
    given: { key: "given", icon: "\u2713", word: "given" },
    missing: { key: "missing", icon: "\u2717", word: "missing" },
    tofix: { key: "tofix", icon: "\u270e", word: "to fix" },
    na: { key: "na", icon: "\u2013", word: "not applicable", short: "n/a" },
    suppressed: { key: "suppressed", icon: "\u2298", word: "suppressed" },
    notrun: { key: "notrun", icon: "\u00b7", word: "not run" }
  };
  var MARK_OF_STATUS = {
    pass: MARKS.given,
    fail: MARKS.missing,
    "not-applicable": MARKS.na,
    suppressed: MARKS.suppressed
  };
  var MARK_ORDER = ["given", "missing", "tofix", "na", "suppressed", "notrun"];

  var outcomes = files.map(function (file) {
    var byRule = Object.create(null);
    file.rules.forEach(function (o) {
      byRule[o.rule] = o;
    });
    return byRule;
  });

  function markOf(p, id) {
    var o = outcomes[p][id];
    var m = (o && MARK_OF_STATUS[o.status]) || MARKS.notrun;
    // A failed rule that asks for no statement (it checks wording) is text to fix.
    return m === MARKS.missing && !rules[id].asks_for_statement ? MARKS.tofix : m;
  }

  function esc(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function shortName(id) {
    return id.slice(id.indexOf("/") + 1).replace(/-/g, " ");
  }

  function baseName(path) {
    return path.slice(path.lastIndexOf("/") + 1);
  }

  // A score: how many of the given rules a policy (or every policy) gives, misses...
  function score(ps, ids) {
    var s = { given: 0, missing: 0, tofix: 0, na: 0, suppressed: 0, notrun: 0, total: 0 };
    ps.forEach(function (p) {
      if (files[p].error) return;
      ids.forEach(function (id) {
        s[markOf(p, id).key] += 1;
        s.total += 1;
      });
    });
    return s;
  }

  function scoreText(s) {
    var parts = [s.given + " of " + s.total + " given", s.missing + " missing", s.na + " not applicable"];
    if (s.tofix) parts.push(s.tofix + " to fix");
    if (s.suppressed) parts.push(s.suppressed + " suppressed");
    if (s.notrun) parts.push(s.notrun + " not run");
    return parts.join(", ");
  }

  function location(path, span) {
    return path + ":" + span.start.line + ":" + span.start.column;
  }

  // ---- Filters ----
  var allPolicies = files.map(function (_, p) {
    return p;
  });
  var state = {
    laws: laws.map(function () {
      return true;
    }),
    marks: { given: true, missing: true, tofix: true, na: true, suppressed: true, notrun: true },
    query: "",
    selected: null
  };
  var single = files.length === 1;

  function buildFilters() {
    var lawBox = document.getElementById("law-filter");
    lawBox.insertAdjacentHTML(
      "beforeend",
      laws
        .map(function (law, li) {
          return '<label><input type="checkbox" data-law="' + li + '" checked> ' + esc(law.name) + "</label>";
        })
        .join("")
    );
    var markBox = document.getElementById("status-filter");
    markBox.insertAdjacentHTML(
      "beforeend",
      MARK_ORDER.map(function (key) {
        var m = MARKS[key];
        return (
          '<label><input type="checkbox" data-mark="' + key + '" checked> <span class="icon" aria-hidden="true">' +
          m.icon + "</span> " + m.word + "</label>"
        );
      }).join("")
    );
    document.getElementById("controls").addEventListener("change", function (e) {
      var t = e.target;
      if (t.dataset.law !== undefined) state.laws[+t.dataset.law] = t.checked;
      if (t.dataset.mark !== undefined) state.marks[t.dataset.mark] = t.checked;
      draw();
    });
    document.getElementById("controls").addEventListener("submit", function (e) {
      e.preventDefault();
    });
    var timer = null;
    document.getElementById("search").addEventListener("input", function (e) {
      clearTimeout(timer);
      var value = e.target.value;
      timer = setTimeout(function () {
        state.query = value.trim().toLowerCase();
        draw();
      }, 120);
    });
    document.getElementById("keys").textContent = single
      ? "Tab to the list, then the up and down arrow keys move between requirements; the details show beside it."
      : "Tab to the table, then the arrow keys move between cells (Home and End to the row's ends); the details show beside it.";
  }

  function drawTotals() {
    var ps = allPolicies;
    var html = laws
      .map(function (law) {
        return '<span class="law-total"><b>' + esc(law.name) + ":</b> " + esc(scoreText(score(ps, law.rules))) + "</span>";
      })
      .join("");
    var broken = files.filter(function (f) {
      return f.error;
    }).length;
    var lead = files.length + (files.length === 1 ? " policy, " : " policies, ") + ruleIds.length + " requirements";
    if (broken) lead += ", " + broken + " not linted";
    document.getElementById("totals").innerHTML = '<span class="law-total"><b>' + esc(lead) + "</b></span>" + html;
  }

  // What the filters leave: the columns (rules, by law) and the rows (policies).
  function visible() {
    var q = state.query;
    var ruleMatches = function (id) {
      return id.toLowerCase().indexOf(q) >= 0 || rules[id].title.toLowerCase().indexOf(q) >= 0;
    };
    var policyMatches = function (p) {
      return files[p].path.toLowerCase().indexOf(q) >= 0;
    };
    var anyRule = q !== "" && ruleIds.some(function (id) {
      return state.laws[lawOfRule[id]] && ruleMatches(id);
    });
    var anyPolicy = q !== "" && allPolicies.some(policyMatches);
    var groups = [];
    if (q === "" || anyRule || anyPolicy) {
      laws.forEach(function (law, li) {
        if (!state.laws[li]) return;
        var ids = anyRule ? law.rules.filter(ruleMatches) : law.rules;
        if (ids.length) groups.push({ law: law, ids: ids });
      });
    }
    var cols = [];
    groups.forEach(function (g) {
      g.ids.forEach(function (id, i) {
        cols.push({ id: id, index: ruleIds.indexOf(id), first: i === 0 });
      });
    });
    var everyMark = MARK_ORDER.every(function (k) {
      return state.marks[k];
    });
    var rows = cols.length === 0 ? [] : allPolicies.filter(function (p) {
      if (anyPolicy && !policyMatches(p)) return false;
      if (everyMark) return true;
      if (files[p].error) return false;
      return cols.some(function (c) {
        return state.marks[markOf(p, c.id).key];
      });
    });
    return { groups: groups, cols: cols, rows: rows };
  }

  var view = document.getElementById("view");
  var panel = document.getElementById("panel");
  var current = null; // what is drawn: { cols, rows, drawn }
  var BATCH = 40;

  function draw() {
    var v = visible();
    current = { cols: v.cols, rows: v.rows, groups: v.groups, drawn: 0 };
    if (v.rows.length === 0) {
      view.innerHTML = '<p class="empty">Nothing matches the filters and the search.</p>';
      return;
    }
    if (single) drawChecklist(v);
    else drawMatrix(v);
  }

  // ---- One policy: a checklist grouped by law ----
  function drawChecklist(v) {
    var p = 0;
    var file = files[p];
    var html = '<div class="checklist-view">';
    if (file.error) {
      html += '<p class="empty">' + esc(file.path) + " could not be linted: " + esc(file.error) + "</p></div>";
      view.innerHTML = html;
      return;
    }
    var tabbed = false;
    v.groups.forEach(function (g) {
      var items = g.ids.filter(function (id) {
        return state.marks[markOf(p, id).key];
      });
      if (!items.length) return;
      html += '<section class="law-group"><h2>' + esc(g.law.name) + '<span class="score">' + esc(scoreText(score([p], g.law.rules))) + "</span></h2><ul>";
      items.forEach(function (id) {
        var m = markOf(p, id);
        var r = ruleIds.indexOf(id);
        var sel = state.selected && state.selected.r === r;
        html +=
          '<li><button type="button" class="item' + (sel ? " selected" : "") + '" data-p="0" data-r="' + r + '" tabindex="' +
          (tabbed ? "-1" : "0") + '"><span class="mark s-' + m.key + '"><span class="icon" aria-hidden="true">' + m.icon +
          "</span> " + m.word + '</span><span class="title">' + esc(rules[id].title) + '</span><span class="rule-id">' + esc(id) +
          "</span></button></li>";
        tabbed = true;
      });
      html += "</ul></section>";
    });
    html += servicesHtml(file);
    html += "</div>";
    view.innerHTML = html;
  }

  // The third-party services the site loads, and whether the policy names each.
  function servicesHtml(file) {
    var services = file.services || [];
    if (!services.length) return "";
    var named = services.filter(function (s) { return s.named; }).length;
    var html = '<section class="services"><h2>Third-party services the site loads<span class="score">' +
      named + " of " + services.length + " named</span></h2>" +
      '<table><thead><tr><th scope="col">Service</th><th scope="col">Kind</th><th scope="col">Named in the policy</th><th scope="col">Loaded by</th></tr></thead><tbody>';
    services.forEach(function (s) {
      var at = s.loaded_at[0];
      var mark = s.named ? MARKS.given : (s.disclosure === "optional" ? MARKS.na : MARKS.missing);
      html += "<tr><td>" + esc(s.name) + '<br><span class="meta">' + esc(s.company) + "</span></td><td>" + esc(s.kind) +
        '</td><td><span class="mark s-' + mark.key + '"><span class="icon" aria-hidden="true">' + mark.icon + "</span> " +
        (s.named ? (s.named_at ? "line " + s.named_at.span.start.line : "yes") : (s.disclosure === "optional" ? "not named (optional)" : "not named")) +
        "</span></td><td>" + esc(location(at.path, at.span)) + '<br><span class="meta">' + esc(at.shown) + "</span></td></tr>";
    });
    return html + "</tbody></table></section>";
  }

  // ---- Several policies: the matrix ----
  function drawMatrix(v) {
    var head = '<table class="matrix" role="grid"><thead><tr class="laws"><th class="corner" rowspan="2" scope="col">Policy<br><span class="meta">' +
      v.rows.length + " of " + files.length + " shown</span></th>";
    v.groups.forEach(function (g) {
      var s = score(v.rows, g.ids);
      head += '<th class="law" colspan="' + g.ids.length + '" scope="colgroup" title="' + esc(g.law.description) + '">' + esc(g.law.name) +
        '<span class="score">' + s.given + " of " + s.total + " given, " + s.missing + " missing</span></th>";
    });
    head += '</tr><tr class="rules">';
    v.cols.forEach(function (c) {
      head += '<th class="rule' + (c.first ? " first" : "") + '" scope="col" title="' + esc(rules[c.id].title + " (" + c.id + ")") +
        '"><span>' + esc(shortName(c.id)) + "</span></th>";
    });
    head += "</tr></thead><tbody></tbody></table>";
    view.innerHTML = head;
    current.body = view.querySelector("tbody");
    drawMore();
    fill();
  }

  function rowHtml(p, first) {
    var file = files[p];
    var cols = current.cols;
    var s = score([p], cols.map(function (c) { return c.id; }));
    var html = '<tr><th scope="row"><button type="button" class="policy-button" data-policy="' + p + '" tabindex="-1" title="' + esc(file.path) +
      '"><span class="name">' + esc(baseName(file.path)) + '</span><span class="score">' +
      (file.error ? "not linted" : s.given + " given, " + s.missing + " missing, " + s.na + " n/a") + "</span></button></th>";
    if (file.error) {
      return html + '<td class="error" colspan="' + cols.length + '">Could not be linted: ' + esc(file.error) + "</td></tr>";
    }
    for (var i = 0; i < cols.length; i++) {
      var c = cols[i];
      var m = markOf(p, c.id);
      var sel = state.selected && state.selected.p === p && state.selected.r === c.index;
      var tab = first && i === 0 ? "0" : "-1";
      html += "<td" + (c.first ? ' class="first"' : "") + '><button type="button" class="cell s-' + m.key + (state.marks[m.key] ? "" : " dim") +
        (sel ? " selected" : "") + '" data-p="' + p + '" data-r="' + c.index + '" tabindex="' + tab + '"><span class="icon" aria-hidden="true">' +
        m.icon + '</span><span class="word">' + (m.short || m.word) + "</span></button></td>";
    }
    return html + "</tr>";
  }

  function drawMore() {
    var c = current;
    var end = Math.min(c.rows.length, c.drawn + BATCH);
    var html = "";
    for (var i = c.drawn; i < end; i++) html += rowHtml(c.rows[i], i === 0);
    c.body.insertAdjacentHTML("beforeend", html);
    c.drawn = end;
  }

  // Draws rows until the drawn ones reach past the bottom of the view.
  function fill() {
    if (!current || !current.body) return;
    while (current.drawn < current.rows.length && view.scrollTop + view.clientHeight > view.scrollHeight - 600) drawMore();
  }

  view.addEventListener("scroll", fill, { passive: true });
  window.addEventListener("resize", fill);
  window.addEventListener("beforeprint", function () {
    if (!current || !current.body) return;
    while (current.drawn < current.rows.length) drawMore();
  });

  // ---- Selection and the keyboard ----
  function cellAt(row, col) {
    if (single) return view.querySelectorAll(".item")[row] || null;
    while (row >= current.drawn && current.drawn < current.rows.length) drawMore();
    var tr = current.body.rows[row];
    return tr && tr.cells[col + 1] ? tr.cells[col + 1].firstChild : null;
  }

  function moveTo(button) {
    if (!button) return;
    var old = view.querySelector('[tabindex="0"]');
    if (old && old !== button) old.tabIndex = -1;
    button.tabIndex = 0;
    button.focus();
  }

  view.addEventListener("keydown", function (e) {
    var b = e.target.closest(".cell, .item");
    if (!b) return;
    var keys = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    var step = keys[e.key];
    if (single) {
      var items = Array.prototype.slice.call(view.querySelectorAll(".item"));
      var at = items.indexOf(b);
      var next = null;
      if (step && step[0]) next = items[at + step[0]];
      if (e.key === "Home") next = items[0];
      if (e.key === "End") next = items[items.length - 1];
      if (next || step || e.key === "Home" || e.key === "End") e.preventDefault();
      moveTo(next);
      return;
    }
    var row = current.rows.indexOf(+b.dataset.p);
    var col = Array.prototype.indexOf.call(b.closest("tr").cells, b.parentNode) - 1;
    var target = null;
    if (step) target = cellAt(row + step[0], col + step[1]);
    if (e.key === "Home") target = cellAt(row, 0);
    if (e.key === "End") target = cellAt(row, current.cols.length - 1);
    if (step || e.key === "Home" || e.key === "End") e.preventDefault();
    if (target && target.classList.contains("cell")) moveTo(target);
  });

  view.addEventListener("focusin", function (e) {
    var b = e.target.closest(".cell, .item");
    if (b) select(+b.dataset.p, +b.dataset.r, b);
  });

  view.addEventListener("click", function (e) {
    var b = e.target.closest(".cell, .item");
    if (b) {
      moveTo(b);
      select(+b.dataset.p, +b.dataset.r, b);
      return;
    }
    var policy = e.target.closest(".policy-button");
    if (policy) showPolicy(+policy.dataset.policy);
  });

  panel.addEventListener("click", function (e) {
    var link = e.target.closest("[data-goto]");
    if (!link || !state.selected) return;
    e.preventDefault();
    var r = ruleIds.indexOf(link.dataset.goto);
    if (r < 0) return;
    var target = view.querySelector('[data-p="' + state.selected.p + '"][data-r="' + r + '"]');
    if (target) moveTo(target);
    else select(state.selected.p, r, null);
  });

  function select(p, r, button) {
    var old = view.querySelector(".selected");
    if (old) old.classList.remove("selected");
    if (button) button.classList.add("selected");
    state.selected = { p: p, r: r };
    showDetails(p, ruleIds[r]);
  }

  function referencesHtml(refs) {
    if (!refs || !refs.length) return "";
    return "<h3>References</h3><ul class=\"refs\">" + refs.map(function (ref) {
      var kind = { requires: "required by", guidance: "guidance", practice: "good practice" }[ref.kind];
      return "<li>" + (kind ? '<span class="kind">' + kind + ":</span> " : "") + esc(ref.text) +
        (ref.url ? '<a class="url" href="' + esc(ref.url) + '" rel="noreferrer">' + esc(ref.url) + "</a>" : "") + "</li>";
    }).join("") + "</ul>";
  }

  // Every finding of the rule in the file (a rule may find several places).
  function findingsOf(file, id) {
    return file.diagnostics.filter(function (d) {
      return d.rule === id || d.merged.indexOf(id) >= 0;
    });
  }

  function showDetails(p, id) {
    var file = files[p];
    var rule = rules[id];
    var law = laws[lawOfRule[id]];
    var outcome = outcomes[p][id];
    var m = markOf(p, id);
    var html = '<h2 id="detail-title">' + esc(rule.title) + "</h2>" +
      '<p class="meta">' + esc(law.name) + " \u00b7 " + esc(id) + " \u00b7 " + rule.severity + "</p>" +
      '<p class="meta">Policy: <span class="where">' + esc(file.path) + "</span></p>" +
      '<p><span class="status-line s-' + m.key + '" id="detail-status"><span class="icon" aria-hidden="true">' + m.icon + "</span> " + m.word + "</span></p>";
    var refs = rule.references;
    if (m === MARKS.given) {
      if (outcome.evidence) {
        html += '<h3>Evidence</h3><blockquote id="detail-evidence">' + esc(outcome.evidence.text) + "</blockquote>" +
          '<p class="where">' + esc(location(file.path, outcome.evidence.span)) + "</p>";
      } else {
        html += "<p>Nothing in this policy contradicts it.</p>";
      }
    } else if (m === MARKS.missing || m === MARKS.tofix) {
      if (outcome.merged_into) {
        var into = rules[outcome.merged_into];
        html += "<p>Reported with <a class=\"link\" href=\"#\" data-goto=\"" + esc(outcome.merged_into) + "\">" +
          esc(into ? into.title : outcome.merged_into) + "</a> (" + esc(outcome.merged_into) +
          "): the finding of that requirement covers this one too.</p>";
      }
      var found = findingsOf(file, id);
      if (found.length) {
        var d = found[0];
        html += '<div class="finding"><h3>' + (found.length > 1 ? found.length + " findings" : "Finding") + "</h3>";
        found.forEach(function (f, i) {
          html += "<blockquote" + (i === 0 ? ' id="detail-finding"' : "") + ">" + esc(f.message) + "</blockquote>" +
            '<p class="where">' + esc(location(file.path, f.span)) + "</p>";
          f.labels.forEach(function (label) {
            html += '<p class="meta">' + esc(label.message) + ' <span class="where">(' + esc(location(label.path || file.path, label.span)) + ")</span></p>";
          });
        });
        html += "</div>";
        if (d.help) html += "<h3>How to fix it</h3><p>" + esc(d.help) + "</p>";
        refs = d.citations;
      } else {
        html += '<div class="finding"><h3>Finding</h3><blockquote id="detail-finding">' + esc(rule.message) + "</blockquote></div>";
        if (rule.help) html += "<h3>How to fix it</h3><p>" + esc(rule.help) + "</p>";
      }
    } else if (m === MARKS.na) {
      html += "<p>This requirement does not concern this service, as the policy reads.</p>";
    } else if (m === MARKS.suppressed) {
      html += "<p>A <code>policylint-disable</code> comment in the policy silenced this finding:</p><blockquote>" + esc(rule.message) + "</blockquote>";
    } else {
      html += "<p>" + (file.error ? "This policy could not be linted: " + esc(file.error) : "This requirement was not checked for this policy (its configuration chose other rules).") + "</p>";
    }
    if (outcome && outcome.note) html += "<h3>Facts about the service</h3><p>" + esc(outcome.note) + "</p>";
    html += referencesHtml(refs);
    html += policyScores(p);
    panel.innerHTML = html;
  }

  function policyScores(p) {
    if (files[p].error) return "";
    return "<h3>This policy, law by law</h3><table class=\"scores\"><tbody>" + laws.map(function (law) {
      return "<tr><th scope=\"row\">" + esc(law.name) + "</th><td>" + esc(scoreText(score([p], law.rules))) + "</td></tr>";
    }).join("") + "</tbody></table>";
  }

  function showPolicy(p) {
    var file = files[p];
    var html = "<h2>" + esc(baseName(file.path)) + '</h2><p class="meta where">' + esc(file.path) + "</p>";
    if (file.error) html += "<p>Could not be linted: " + esc(file.error) + "</p>";
    html += policyScores(p);
    [["Missing", MARKS.missing], ["Text to fix", MARKS.tofix]].forEach(function (kind) {
      var ids = ruleIds.filter(function (id) {
        return markOf(p, id) === kind[1];
      });
      if (ids.length) {
        html += "<h3>" + kind[0] + "</h3><ul class=\"refs\">" + ids.map(function (id) {
          return "<li>" + esc(laws[lawOfRule[id]].name) + ": " + esc(rules[id].title) + "</li>";
        }).join("") + "</ul>";
      }
    });
    panel.innerHTML = html;
  }

  buildFilters();
  drawTotals();
  draw();
  document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
  document.documentElement.setAttribute("data-ready", "true");
})();
