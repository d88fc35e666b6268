// kg review: the page of the desk. It shows what /api/state gives (the text, the facts, the problems) and sends
// every edit to /api/edit, one at a time, then draws the state it gets back: the server holds the annotation,
// the page holds nothing the server does not know. Plain JavaScript, no library, nothing from the network.
"use strict";

(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const HIDDEN_FIELDS = new Set(["id", "kind", "evidence", "review"]);
  const WIDE = new Set(["text", "words", "wordlist", "cell", "sectors", "agents", "facts", "exclusions"]); // a row of their own
  let schema = null;
  let choices = null;
  let state = null;
  let chosen = null; // the index of the fact selected
  let extra = {}; // fact index -> optional fields shown empty, to be filled
  let selection = null; // {start, end, words}: the words selected in the text
  let releaseOpen = false; // the release header's card shown open
  let queue = Promise.resolve();
  let pending = 0;
  let version = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function kindClass(kind) {
    return schema && Object.prototype.hasOwnProperty.call(schema.kinds, kind) ? kind : "other";
  }

  async function call(method, path, body) {
    const options = { method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data;
    try {
      data = await response.json();
    } catch (e) {
      data = { error: response.statusText };
    }
    if (!response.ok) {
      const error = new Error(data.error || response.statusText);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // ------------------------------------------------------------------ requests, one at a time

  function act(path, body, after, refresh = false) {
    pending += 1;
    document.body.setAttribute("data-pending", String(pending));
    queue = queue.then(async () => {
      try {
        state = await call("POST", path, body);
        if (refresh) choices = await call("GET", "/api/choices"); // the data folder's places, sectors, actors changed
        hideBanner();
        if (after) after();
        render();
      } catch (error) {
        showBanner(error);
      } finally {
        pending -= 1;
        if (pending === 0) document.body.removeAttribute("data-pending");
        else document.body.setAttribute("data-pending", String(pending));
      }
    });
    return queue;
  }

  function showBanner(error) {
    const banner = $("#banner");
    banner.textContent = "";
    banner.dataset.status = String(error.status || "");
    banner.append(el("span", "", error.status === 409 ? "Not saved: " + error.message : error.message));
    if (error.status === 409) {
      const reopen = el("button", "", "Reopen from disk (the edits here are lost)");
      reopen.type = "button";
      reopen.addEventListener("click", () => act("/api/reopen", {}));
      banner.append(reopen);
    }
    banner.hidden = false;
  }

  function hideBanner() {
    $("#banner").hidden = true;
  }

  function edit(change, after) {
    return act("/api/edit", change, after);
  }

  function setField(fact, name, value) {
    const change = { op: "set", field: name, value };
    if (fact) Object.assign(change, { fact: fact.index, id: fact.id });
    else change.fact = null;
    return edit(change);
  }

  // ------------------------------------------------------------------ drawing

  function render() {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
    const inCard = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".card[data-fact]") : null;
    $("#release-id").textContent = state.release.id || "";
    const problems = state.problems;
    const errors = problems.filter((p) => p.source === "loader" || p.source === "Violation").length;
    const warnings = problems.length - errors;
    const reviews = state.facts.filter((f) => f.review).length + state.notes.length;
    $("#counts").textContent = `${state.facts.length} facts · ${errors} errors · ${warnings} warnings · ${reviews} to review`;
    const status = $("#status");
    status.textContent = state.saved ? "All changes saved" : "Unsaved changes";
    status.className = state.saved ? "saved" : "unsaved";
    renderText();
    renderCards();
    const again = focused ? document.querySelector(`[data-key="${CSS.escape(focused)}"]`) : null;
    if (again) again.focus();
    else if (inCard) { // a button of a card (Resolved, Duplicate, Delete): the keyboard stays on the card chosen, or that one
      const card = document.querySelector(".card.chosen[data-fact]")
        || document.querySelector(`.card[data-fact-id="${CSS.escape(inCard.dataset.factId)}"]`)
        || document.querySelector(`.card[data-fact="${inCard.dataset.fact}"]`);
      if (card) card.focus({ preventScroll: true });
    }
    version += 1;
    document.body.dataset.version = String(version);
    document.body.setAttribute("data-ready", "");
  }

  function renderText() {
    const points = Array.from(state.text);
    const cuts = new Set([0, points.length]);
    const spans = [];
    for (const fact of state.facts) {
      for (const quote of fact.evidence) {
        if (quote.start === null) continue;
        spans.push({ start: quote.start, end: quote.end, fact: fact.index, kind: kindClass(fact.kind) });
        cuts.add(quote.start);
        cuts.add(quote.end);
      }
    }
    const at = [...cuts].sort((a, b) => a - b);
    const box = $("#text");
    box.textContent = "";
    for (let i = 0; i < at.length - 1; i += 1) {
      const start = at[i];
      const end = at[i + 1];
      const over = spans.filter((s) => s.start <= start && end <= s.end);
      let node;
      if (over.length) {
        node = el("mark", over[0].kind);
        if (over.length > 1) node.classList.add("several");
        node.dataset.facts = over.map((s) => s.fact).join(" ");
        if (over.some((s) => s.fact === chosen)) node.classList.add("chosen");
        node.title = over.map((s) => state.facts[s.fact].id).join(", ");
        node.tabIndex = 0; // reached with Tab, chosen with Enter or Space, as a click chooses it
        node.setAttribute("role", "button");
      } else {
        node = el("span");
      }
      node.dataset.start = String(start);
      node.textContent = points.slice(start, end).join("");
      box.append(node);
    }
  }

  function problemsOf(index) {
    return state.problems.filter((p) => p.fact === index && !p.file);
  }

  function problemList(problems) {
    const list = el("ul", "problems");
    for (const problem of problems) {
      const item = el("li", problem.source === "loader" ? "loader" : problem.source);
      const where = problem.field ? `${problem.field}: ` : "";
      item.append(el("span", "", (problem.source === "loader" ? "✗ " : problem.source === "Violation" ? "✗ " : "! ") + where + problem.message));
      if (problem.rule) item.append(el("span", "rule", ` (${problem.rule})`));
      list.append(item);
    }
    return list;
  }

  function renderCards() {
    const notes = $("#notes");
    notes.textContent = "";
    state.notes.forEach((note, number) => {
      const box = el("div", "note review");
      box.append(el("span", "", "⚠ review (file):"), el("span", "reason", note));
      const resolved = el("button", "resolve", "Resolved");
      resolved.type = "button";
      resolved.addEventListener("click", () => edit({ op: "resolve-note", note: number, text: note }));
      box.append(resolved);
      notes.append(box);
    });
    renderAdditions(notes);
    const box = $("#cards");
    box.textContent = "";
    box.append(releaseCard());
    const kinds = [...schema.figures, ...Object.keys(schema.kinds).filter((k) => !schema.figures.includes(k)), "other"];
    for (const kind of kinds) {
      const facts = state.facts.filter((f) => kindClass(f.kind) === kind);
      if (!facts.length) continue;
      box.append(el("h2", "kind", `${kind} (${facts.length})`));
      for (const fact of facts) box.append(factCard(fact));
    }
  }

  function releaseCard() {
    const card = el("details", "card release");
    card.dataset.release = "";
    const own = problemsOf(null);
    card.open = own.length > 0 || releaseOpen;
    card.addEventListener("toggle", () => { releaseOpen = card.open; });
    const head = el("summary", "card-head");
    head.append(el("strong", "", "release"), el("span", "", ` ${state.release.published || ""} · ${state.release.publisher || ""}`));
    card.append(head);
    if (own.length) {
      card.classList.add("wrong");
      card.append(problemList(own.filter((p) => !p.field || !schema.release.some((f) => f.name === p.field))));
    }
    const grid = el("div", "fields");
    for (const field of schema.release) {
      grid.append(fieldRow(null, field, state.release[field.name], own.filter((p) => p.field === field.name)));
    }
    card.append(grid);
    return card;
  }

  function factCard(fact) {
    const kind = kindClass(fact.kind);
    const card = el("div", `card ${kind}`);
    card.dataset.fact = String(fact.index);
    card.dataset.factId = fact.id || "";
    card.tabIndex = -1; // focused when its highlight is chosen from the keyboard: Tab then goes through its fields
    if (fact.index === chosen) card.classList.add("chosen");
    const problems = problemsOf(fact.index);
    if (problems.some((p) => p.source === "loader" || p.source === "Violation")) card.classList.add("wrong");
    card.addEventListener("click", (event) => {
      if (event.target.closest("input, select, button, .matches")) return;
      choose(fact.index, false);
    });
    card.addEventListener("focusin", () => { // a field reached with Tab or a click: its fact is the chosen one
      if (chosen !== fact.index) choose(fact.index, false);
    });

    const head = el("div", "card-head");
    const id = el("input", "fact-id");
    id.value = fact.id || "";
    id.dataset.key = `${fact.index}:id`;
    id.setAttribute("aria-label", "fact id");
    id.addEventListener("change", () => setField(fact, "id", id.value.trim()));
    head.append(id);
    const kindSelect = el("select", "fact-kind");
    for (const name of Object.keys(schema.kinds)) kindSelect.append(new Option(name, name, false, name === fact.kind));
    if (kind === "other") kindSelect.append(new Option(String(fact.kind), String(fact.kind), false, true));
    kindSelect.setAttribute("aria-label", "kind");
    kindSelect.addEventListener("change", () => setField(fact, "kind", kindSelect.value));
    head.append(kindSelect);
    const duplicate = el("button", "duplicate", "Duplicate");
    duplicate.type = "button";
    duplicate.addEventListener("click", () => edit({ op: "duplicate", fact: fact.index, id: fact.id }, () => { chosen = fact.index + 1; }));
    const remove = el("button", "delete", "Delete");
    remove.type = "button";
    remove.addEventListener("click", () => edit({ op: "delete", fact: fact.index, id: fact.id }, () => { chosen = null; }));
    head.append(duplicate, remove);
    card.append(head);

    if (fact.review) {
      const review = el("div", "review");
      review.append(el("span", "", "⚠ review:"), el("span", "reason", fact.review));
      const resolved = el("button", "resolve", "Resolved");
      resolved.type = "button";
      resolved.title = "The analyst checked it: the review line is removed";
      resolved.addEventListener("click", () => edit({ op: "resolve", fact: fact.index, id: fact.id }));
      review.append(resolved);
      card.append(review);
    }
    const fields = kind === "other" ? [] : schema.kinds[kind].filter((f) => !HIDDEN_FIELDS.has(f.name));
    const shown = fields.filter((f) => f.name in fact.fields || f.required || (extra[fact.index] || []).includes(f.name));
    const general = problems.filter((p) => !p.field || !shown.some((f) => f.name === p.field));
    if (general.length) card.append(problemList(general));
    const grid = el("div", "fields");
    for (const field of shown) grid.append(fieldRow(fact, field, fact.fields[field.name], problems.filter((p) => p.field === field.name)));
    card.append(grid);
    const optional = fields.filter((f) => !shown.includes(f));
    if (optional.length) {
      const add = el("div", "add-field");
      const select = el("select");
      select.setAttribute("aria-label", "add a field");
      select.append(new Option("+ field…", ""));
      for (const field of optional) select.append(new Option(field.name, field.name));
      select.addEventListener("change", () => {
        if (!select.value) return;
        extra[fact.index] = [...(extra[fact.index] || []), select.value];
        const key = `${fact.index}:${select.value}`;
        renderCards();
        const input = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
        if (input) input.focus();
      });
      add.append(select);
      card.append(add);
    }
    const quotes = el("ul", "evidence");
    fact.evidence.forEach((quote, number) => {
      const item = el("li", quote.start === null ? "missing" : "");
      item.append(el("span", "quote", `«${quote.quote}»`));
      if (quote.start === null) item.append(el("span", "", quote.found ? ` (${quote.found} times in the text)` : " (not in the text)"));
      const drop = el("button", "unquote", "×");
      drop.type = "button";
      drop.title = "Remove this quote from the evidence";
      drop.addEventListener("click", () => edit({ op: "unquote", fact: fact.index, id: fact.id, quote: number }));
      item.append(" ", drop);
      quotes.append(item);
    });
    card.append(quotes);
    return card;
  }

  function display(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.join(", ");
    if (typeof value === "object") {
      return Object.entries(value).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(" ") : v === null ? "" : v}`).join(", ");
    }
    return String(value);
  }

  function parse(field, text) {
    const value = text.trim();
    if (field.type === "cell") {
      if (!value) return null;
      const cell = {};
      for (const part of value.split(/,\s*(?=[a-z_]+\s*:)/)) {
        const [key, ...rest] = part.split(":");
        const item = rest.join(":").trim();
        cell[key.trim()] = key.trim() === "excludes" ? item.split(/[\s,]+/).filter(Boolean) : item;
      }
      return cell;
    }
    if (["sectors", "agents", "wordlist", "facts", "exclusions"].includes(field.type)) {
      return value ? value.split(",").map((s) => s.trim()).filter(Boolean) : [];
    }
    return value;
  }

  function optionsFor(field) {
    if (field.type === "fact" || field.type === "facts") {
      return state.facts.filter((f) => !field.kinds.length || field.kinds.includes(f.kind))
        .map((f) => ({ id: f.id, it: f.kind, en: f.kind, words: [], kind: f.kind }));
    }
    const keys = schema.choices[field.type];
    if (!keys) return null;
    return keys.flatMap((key) => choices[key]);
  }

  function nameOf(field, id) {
    const options = optionsFor(field);
    const found = options && options.find((o) => o.id === id);
    if (!found) return "";
    return found.it === found.en ? found.it : `${found.it} / ${found.en}`;
  }

  function fieldRow(fact, field, value, problems) {
    const row = document.createDocumentFragment();
    const label = el("label", field.required ? "required" : "", field.name);
    if (WIDE.has(field.type)) label.classList.add("wide");
    const box = el("div", "field");
    box.dataset.field = field.name;
    if (problems.length) box.classList.add("wrong");
    const key = `${fact ? fact.index : "release"}:${field.name}`;
    let input;
    if (field.type === "enum") {
      input = el("select");
      input.append(new Option("", ""));
      const values = schema.enums[field.enum] || [];
      for (const name of values) input.append(new Option(name, name, false, name === value));
      if (value && !values.includes(String(value))) input.append(new Option(String(value), String(value), false, true));
      input.addEventListener("change", () => setField(fact, field.name, input.value));
    } else {
      input = el("input");
      input.value = display(value);
      const options = optionsFor(field);
      if (options) search(input, field, options, (text) => setField(fact, field.name, parse(field, text)));
      else input.addEventListener("change", () => setField(fact, field.name, parse(field, input.value)));
    }
    input.dataset.key = key;
    input.id = `field-${key}`;
    label.htmlFor = input.id;
    box.append(input);
    const ids = Array.isArray(value) ? value : value ? [value] : [];
    const names = ids.map((id) => nameOf(field, String(id))).filter(Boolean);
    if (names.length && field.type !== "fact" && field.type !== "facts") box.append(el("div", "said", names.join("; ")));
    for (const problem of problems) box.append(el("div", "message", problem.message));
    row.append(label, box);
    return row;
  }

  // ------------------------------------------------------------------ additions to the data folder

  function slug(text) {
    return normalise(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
  }

  function renderAdditions(box) {
    const wrong = state.problems.filter((p) => p.file);
    if (!state.additions.length && !wrong.length) return;
    const card = el("div", "card additions");
    card.append(el("strong", "", "Added to the data folder (written by Save)"));
    const list = el("ul", "added");
    for (const addition of state.additions) {
      const item = el("li", "", `${addition.section}: ${addition.id} (${addition.file}) `);
      const back = el("button", "unadd", "Take back");
      back.type = "button";
      back.addEventListener("click", () => act("/api/edit", { op: "unadd", section: addition.section, id: addition.id }, null, true));
      item.append(back);
      list.append(item);
    }
    card.append(list);
    if (wrong.length) {
      card.classList.add("wrong");
      card.append(problemList(wrong.map((p) => Object.assign({}, p, { field: `${p.file}${p.field ? " " + p.field : ""}` }))));
    }
    box.append(card);
  }

  function additionForm(section, words) {
    const box = $("#addition");
    box.textContent = "";
    box.hidden = false;
    const form = el("form", "card addition");
    const head = el("div", "card-head");
    head.append(el("strong", "", "Add to the data folder:"));
    const which = el("select", "section");
    which.setAttribute("aria-label", "what to add");
    for (const name of Object.keys(schema.additions)) which.append(new Option(name, name, false, name === section));
    which.addEventListener("change", () => additionForm(which.value, words));
    head.append(which);
    form.append(head);
    const grid = el("div", "fields");
    const inputs = {};
    for (const field of schema.additions[section]) {
      const label = el("label", field.required ? "required" : "", field.name);
      const cell = el("div", "field");
      cell.dataset.field = field.name;
      let input;
      const values = field.values.length ? field.values : field.enum ? schema.enums[field.enum] : null;
      if (values) {
        input = el("select");
        input.append(new Option("", ""));
        for (const value of values) input.append(new Option(value, value));
      } else {
        input = el("input");
        if (field.name === "id") input.value = slug(words || "");
        if (["name", "it"].includes(field.name)) input.value = (words || "").trim();
        const options = optionsFor(field);
        if (options) search(input, field, options, () => {});
      }
      input.id = `addition-${field.name}`;
      label.htmlFor = input.id;
      inputs[field.name] = input;
      cell.append(input);
      grid.append(label, cell);
    }
    form.append(grid);
    const add = el("button", "", "Add");
    add.type = "submit";
    const cancel = el("button", "", "Cancel");
    cancel.type = "button";
    cancel.addEventListener("click", () => { box.hidden = true; });
    form.append(add, cancel);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const entry = {};
      for (const [name, input] of Object.entries(inputs)) if (input.value.trim()) entry[name] = input.value.trim();
      box.hidden = true;
      act("/api/edit", { op: "addition", section, entry }, null, true);
    });
    box.append(form);
    const first = form.querySelector("select.section");
    if (first) first.focus();
  }

  // ------------------------------------------------------------------ search among the choices

  function normalise(text) {
    return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[’'`\-–_/]/g, " ").replace(/\s+/g, " ").trim();
  }

  function matches(options, query) {
    const wanted = normalise(query);
    if (!wanted) return [];
    const scored = [];
    for (const option of options) {
      const names = [option.id, option.it, option.en, ...option.words].map(normalise);
      let score = null;
      if (names.some((n) => n === wanted)) score = 0;
      else if (names.some((n) => n.startsWith(wanted))) score = 1;
      else if (names.some((n) => n.includes(wanted))) score = 2;
      if (score !== null) scored.push([score, option]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].id.localeCompare(b[1].id));
    return scored.slice(0, 12).map((s) => s[1]);
  }

  function search(input, field, options, commit) {
    const list = field.type === "sectors" || field.type === "agents" || field.type === "facts" || field.type === "exclusions";
    let menu = null;
    let active = 0;
    let found = [];
    let sent = false;
    const original = input.value;
    const close = () => {
      if (menu) menu.remove();
      menu = null;
    };
    const token = () => (list ? input.value.split(",").pop() : input.value);
    const pick = (option) => {
      if (list) {
        const parts = input.value.split(",").map((s) => s.trim());
        parts[parts.length - 1] = option.id;
        input.value = parts.filter(Boolean).join(", ");
      } else {
        input.value = option.id;
      }
      close();
      sent = true;
      commit(input.value);
    };
    const show = () => {
      close();
      found = matches(options, token());
      if (!found.length) return;
      active = 0;
      menu = el("ul", "matches");
      menu.setAttribute("role", "listbox");
      found.forEach((option, n) => {
        const item = el("li", n === active ? "active" : "");
        item.setAttribute("role", "option");
        item.dataset.id = option.id;
        item.append(el("span", "name", option.it === option.en ? option.it : `${option.it} / ${option.en}`),
          el("span", "id", ` ${option.id}`));
        item.addEventListener("mousedown", (event) => {
          event.preventDefault(); // the input keeps the focus: no change event before the pick
          pick(option);
        });
        menu.append(item);
      });
      input.parentElement.append(menu);
    };
    input.setAttribute("autocomplete", "off");
    input.addEventListener("input", show);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!menu) return;
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
        [...menu.children].forEach((li, n) => li.classList.toggle("active", n === active));
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (menu && found.length) pick(found[active]);
        else if (input.value !== original && !sent) {
          sent = true;
          commit(input.value);
        }
      } else if (event.key === "Escape") {
        close();
        input.value = original; // the typing taken back
      }
    });
    input.addEventListener("blur", () => {
      close();
      if (input.value !== original && !sent) {
        sent = true;
        commit(input.value);
      }
    });
  }

  // ------------------------------------------------------------------ choosing a fact, text ↔ card

  function choose(index, scrollCard = true) {
    chosen = index;
    for (const mark of document.querySelectorAll("#text mark")) {
      mark.classList.toggle("chosen", mark.dataset.facts.split(" ").map(Number).includes(index));
    }
    for (const card of document.querySelectorAll(".card[data-fact]")) card.classList.toggle("chosen", Number(card.dataset.fact) === index);
    const card = document.querySelector(`.card[data-fact="${index}"]`);
    if (card && scrollCard) card.scrollIntoView({ block: "nearest" });
    const mark = document.querySelector("#text mark.chosen");
    if (mark && !scrollCard) mark.scrollIntoView({ block: "nearest" });
  }

  function activate(mark) {
    const facts = mark.dataset.facts.split(" ").map(Number);
    const next = facts.includes(chosen) ? facts[(facts.indexOf(chosen) + 1) % facts.length] : facts[0];
    choose(next, true);
    return next;
  }

  function textClicked(event) {
    const mark = event.target.closest("mark");
    if (!mark || !window.getSelection().isCollapsed) return;
    activate(mark);
  }

  function textKey(event) {
    const mark = event.target.closest("mark");
    if (!mark || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    const card = document.querySelector(`.card[data-fact="${activate(mark)}"]`);
    if (card) card.focus({ preventScroll: true }); // from the keyboard: Tab goes on through the card's fields
  }

  // ------------------------------------------------------------------ adding from a selection of the text

  function offsetOf(node, offset) {
    const text = $("#text");
    if (node === text) {
      const child = text.childNodes[offset];
      return child ? Number(child.dataset.start) : Array.from(state.text).length;
    }
    const segment = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const start = Number(segment.dataset.start);
    if (node.nodeType === Node.TEXT_NODE) return start + Array.from(node.data.slice(0, offset)).length;
    return offset === 0 ? start : start + Array.from(segment.textContent).length;
  }

  function textSelected() {
    const chosenWords = window.getSelection();
    const bar = $("#selection-bar");
    if (chosenWords.isCollapsed || !chosenWords.rangeCount) {
      bar.hidden = true;
      selection = null;
      return;
    }
    const range = chosenWords.getRangeAt(0);
    const text = $("#text");
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (!(end > start)) return;
    selection = { start, end, words: Array.from(state.text).slice(start, end).join("") };
    $("#selection-words").textContent = `«${selection.words.trim()}»`;
    $("#set-evidence").disabled = chosen === null;
    $("#append-evidence").disabled = chosen === null;
    const rect = range.getBoundingClientRect();
    const pane = $("#text-pane").getBoundingClientRect();
    bar.hidden = false;
    const width = bar.offsetWidth;
    bar.style.left = `${Math.max(pane.left + 4, Math.min(rect.left, pane.right - width - 4))}px`;
    const below = rect.bottom + 8;
    bar.style.top = `${below + bar.offsetHeight < window.innerHeight ? below : rect.top - bar.offsetHeight - 8}px`;
  }

  function addFact() {
    if (!selection) return;
    const before = new Set(state.facts.map((f) => f.id));
    const { start, end } = selection;
    $("#selection-bar").hidden = true;
    window.getSelection().removeAllRanges();
    edit({ op: "add", kind: $("#add-kind").value, start, end }, () => {
      const added = state.facts.find((f) => !before.has(f.id));
      chosen = added ? added.index : chosen;
    }).then(() => {
      if (chosen !== null) choose(chosen, true);
    });
  }

  function setEvidence(mode) {
    if (!selection || chosen === null) return;
    const fact = state.facts[chosen];
    $("#selection-bar").hidden = true;
    window.getSelection().removeAllRanges();
    edit({ op: "evidence", fact: fact.index, id: fact.id, start: selection.start, end: selection.end, mode });
  }

  // ------------------------------------------------------------------ start

  async function start() {
    try {
      [schema, choices, state] = await Promise.all([call("GET", "/api/schema"), call("GET", "/api/choices"), call("GET", "/api/state")]);
    } catch (error) {
      showBanner(error);
      return;
    }
    const kinds = $("#add-kind");
    for (const kind of Object.keys(schema.kinds)) kinds.append(new Option(kind, kind, false, kind === "level"));
    $("#text").addEventListener("click", textClicked);
    $("#text").addEventListener("keydown", textKey);
    document.addEventListener("mouseup", (event) => {
      if (!event.target.closest("#selection-bar")) setTimeout(textSelected, 0);
    });
    $("#add-fact").addEventListener("click", addFact);
    $("#set-evidence").addEventListener("click", () => setEvidence("replace"));
    $("#append-evidence").addEventListener("click", () => setEvidence("append"));
    $("#add-to-data").addEventListener("click", () => {
      const words = selection ? selection.words : "";
      $("#selection-bar").hidden = true;
      window.getSelection().removeAllRanges();
      additionForm("organizations", words);
    });
    $("#new-addition").addEventListener("click", () => additionForm("organizations", ""));
    $("#save").addEventListener("click", () => act("/api/save", {}));
    window.addEventListener("beforeunload", (event) => {
      if (state && !state.saved) event.preventDefault();
    });
    render();
  }

  start();
})();
