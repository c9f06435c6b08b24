// Wirestream newsroom console. Plain browser JavaScript, no libraries.
//
// Wire text is untrusted: every piece of data reaches the page through
// textContent or a text node (the el() helper), never through innerHTML, and
// the only links made from data are Wikidata ids checked against /^Q[0-9]+$/.
"use strict";

const API = "/console/api";
const state = {
  stories: [],            // summaries, newest first
  open: new Set(),        // cluster ids unfolded by the user
  selected: null,         // article id shown in the story view
  subscriptions: [],
  selectedSub: null,
  health: null,
  lastHealth: null,
  events: null,
};

// --- small helpers ------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (id) => document.getElementById(id);

// Node.append would write a left-out (null) child as the text "null".
function add(node, ...children) {
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toISOString().slice(11, 16) + " UTC";
}

function whenFull(iso) {
  return iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 19) : "";
}

function wikidataLink(qid) {
  return /^Q[0-9]+$/.test(qid || "") ? "https://www.wikidata.org/wiki/" + qid : null;
}

function toast(message, bad) {
  const node = $("toast");
  node.textContent = message;
  node.className = "toast" + (bad ? " bad" : "");
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.hidden = true; }, 4000);
}

async function api(path, options) {
  const opts = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
  if (opts.json !== undefined) {
    opts.body = JSON.stringify(opts.json);
    opts.headers["Content-Type"] = "application/json";
    delete opts.json;
  }
  const response = await fetch(API + path, opts);
  if (response.status === 401) {
    showSignIn();
    throw new Error("signed out");
  }
  const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.error || response.statusText);
    error.body = body;
    error.status = response.status;
    throw error;
  }
  return body;
}

// --- sign in ------------------------------------------------------------------

function showSignIn() {
  if (state.events) { state.events.close(); state.events = null; }
  $("app").hidden = true;
  $("sign-out").hidden = true;
  $("signin").hidden = false;
  setConnection(false);
  $("token").focus();
}

async function signIn(event) {
  event.preventDefault();
  $("signin-error").textContent = "";
  try {
    const response = await fetch(API + "/session", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: $("token").value }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || response.statusText);
    $("token").value = "";
    start();
  } catch (error) {
    $("signin-error").textContent = error.message;
  }
}

async function signOut() {
  await fetch(API + "/session", { method: "DELETE", credentials: "same-origin" });
  showSignIn();
}

// --- live events --------------------------------------------------------------

function setConnection(live) {
  const node = $("conn");
  node.textContent = live ? "live" : "offline";
  node.className = "conn " + (live ? "on" : "off");
}

function connect() {
  if (state.events) state.events.close();
  const source = new EventSource(API + "/events");
  state.events = source;
  source.onopen = () => setConnection(true);
  source.onerror = () => {
    setConnection(false);
    // A 401 closes the stream for good; find out whether that is why.
    if (source.readyState === EventSource.CLOSED) api("/session").catch(() => {});
  };
  source.addEventListener("story", (e) => addStory(JSON.parse(e.data)));
  source.addEventListener("kill", (e) => killStory(JSON.parse(e.data)));
  source.addEventListener("alert", (e) => addAlert(JSON.parse(e.data)));
  source.addEventListener("health", (e) => showHealth(JSON.parse(e.data)));
  source.addEventListener("overflow", () => { source.close(); start(); });
}

// --- the wire -----------------------------------------------------------------

function addStory(story) {
  state.stories = state.stories.filter((s) => s.article_id !== story.article_id);
  state.stories.unshift(story);
  renderStories(story.article_id);
}

function killStory(kill) {
  state.stories = state.stories.filter((s) => s.story_id !== kill.story_id);
  renderStories();
  toast("Story withdrawn by its source: " + kill.story_id, true);
}

function urgencyClass(urgency) {
  if (urgency === null || urgency === undefined) return "urg";
  if (urgency <= 1) return "urg flash";
  if (urgency <= 3) return "urg high";
  return "urg";
}

function badgeClass(badge) {
  if (badge === "first") return "badge first";
  if (badge === "correction") return "badge correction";
  return "badge update";
}

function storyRow(story, extra) {
  const meta = el("div", { class: "meta" },
    el("span", { class: urgencyClass(story.urgency), title: "IPTC urgency (1 = flash)" },
      story.urgency === null ? "U–" : "U" + story.urgency),
    el("span", { class: "source" }, story.source || "unknown source"),
    story.dateline ? el("span", { class: "dateline" }, story.dateline) : null,
    el("span", { class: badgeClass(story.badge) }, story.badge),
    el("span", { class: "time" }, when(story.released_at)),
  );
  const topics = el("div", { class: "chips" },
    story.topics.slice(0, 4).map((t) => el("span", { class: "chip", title: t.qcode }, t.name)));
  return el("li", {
    class: "story" + (story.article_id === state.selected ? " selected" : "") + (extra || ""),
    dataset: { articleId: story.article_id },
    tabindex: "0",
    onclick: () => openStory(story.article_id),
    onkeydown: (e) => { if (e.key === "Enter") openStory(story.article_id); },
  }, meta, el("h3", { class: "headline" }, story.headline), topics);
}

function renderStories(fresh) {
  const list = clear($("stories"));
  const groups = new Map();
  for (const story of state.stories) {
    const key = story.cluster_id || story.story_id;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(story);
  }
  for (const [key, members] of groups) {
    const [head, ...rest] = members;
    const row = storyRow(head, head.article_id === fresh ? " fresh" : "");
    if (rest.length) {
      const unfolded = state.open.has(key);
      row.append(el("button", {
        class: "fold",
        onclick: (e) => {
          e.stopPropagation();
          if (unfolded) state.open.delete(key); else state.open.add(key);
          renderStories();
        },
      }, (unfolded ? "▾ " : "▸ ") + rest.length + " more in this cluster (" +
        [...new Set(rest.map((s) => s.source || "?"))].join(", ") + ")"));
      if (unfolded) {
        row.append(el("ol", { class: "folded" }, rest.map((s) => storyRow(s, " member"))));
      }
    }
    list.append(row);
  }
  $("stories-empty").hidden = state.stories.length > 0;
  $("story-count").textContent = state.stories.length + (state.stories.length === 1 ? " story" : " stories");
}

function entityRun(segment, entities) {
  if (segment.entity === undefined) return document.createTextNode(segment.text);
  const entity = entities[segment.entity];
  const link = wikidataLink(entity.wikidata);
  const attrs = {
    class: "entity kind-" + entity.kind,
    dataset: { kind: entity.kind, type: entity.type },
    title: entity.name + " · " + entity.type + (entity.wikidata ? " · " + entity.wikidata : ""),
  };
  if (link) {
    return el("a", Object.assign(attrs, { href: link, target: "_blank", rel: "noopener noreferrer" }), segment.text);
  }
  return el("mark", attrs, segment.text);
}

function entityList(entities) {
  if (!entities.length) return el("p", { class: "muted" }, "No entities.");
  return el("ul", { class: "entity-list" }, entities.map((e) => {
    const link = wikidataLink(e.wikidata);
    return el("li", {},
      el("span", { class: "dot kind-" + e.kind }),
      link ? el("a", { href: link, target: "_blank", rel: "noopener noreferrer" }, e.name) : el("span", {}, e.name),
      el("span", { class: "muted" }, " " + e.type + (e.wikidata ? " · " + e.wikidata : "") + " · relevance " + e.relevance),
    );
  }));
}

function placeList(entities) {
  const places = entities.filter((e) => e.kind === "place" || e.geo);
  if (!places.length) return el("p", { class: "muted" }, "No places.");
  return el("ul", { class: "place-list" }, places.map((e) => {
    const geo = e.geo || {};
    const point = geo.lat !== null && geo.lat !== undefined && geo.lon !== null && geo.lon !== undefined
      ? geo.lat.toFixed(3) + ", " + geo.lon.toFixed(3)
      : "no coordinates";
    const facts = [point, geo.country, geo.feature].filter(Boolean).join(" · ");
    return el("li", { class: "place" }, el("strong", {}, e.name), el("span", { class: "muted" }, " " + facts));
  }));
}

async function openStory(articleId) {
  state.selected = articleId;
  for (const node of document.querySelectorAll(".story")) {
    node.classList.toggle("selected", node.dataset.articleId === articleId);
  }
  const view = clear($("story-view"));
  view.append(el("p", { class: "muted" }, "Loading…"));
  let story;
  try {
    story = await api("/stories/" + encodeURIComponent(articleId));
  } catch (error) {
    clear(view).append(el("p", { class: "error" }, error.message));
    return;
  }
  if (state.selected !== articleId) return;
  clear(view);
  const kinds = ["person", "organisation", "place", "event", "other"];
  add(view,
    el("div", { class: "meta" },
      el("span", { class: urgencyClass(story.urgency) }, story.urgency === null ? "U–" : "U" + story.urgency),
      el("span", { class: "source" }, story.source || "unknown source"),
      story.dateline ? el("span", { class: "dateline" }, story.dateline) : null,
      el("span", { class: badgeClass(story.badge) }, story.badge),
      el("span", { class: "time" }, whenFull(story.released_at) + " UTC"),
    ),
    el("h2", { class: "story-headline" }, story.headline),
    story.byline ? el("p", { class: "byline" }, story.byline) : null,
    el("div", { class: "chips" }, story.topics.map((t) => el("span", { class: "chip", title: t.qcode }, t.name))),
    el("div", { class: "legend" }, kinds.map((k) => el("span", { class: "entity kind-" + k }, k))),
  );
  const parsed = el("div", { class: "parsed" },
    el("h3", {}, "Story"),
    el("div", { class: "body" }, story.paragraphs.map((p) =>
      el("p", {}, p.map((segment) => entityRun(segment, story.entities))))),
    story.entities_skipped ? el("p", { class: "muted" }, "Entities skipped: " + story.entities_skipped) : null,
    el("h3", {}, "Entities"), entityList(story.entities),
    el("h3", {}, "Places"), placeList(story.entities),
    el("h3", {}, "Keywords"),
    el("div", { class: "chips" }, story.keywords.map((k) => el("span", { class: "chip keyword" }, k.text))),
    story.cluster.length ? el("h3", {}, "Same story elsewhere") : null,
    story.cluster.length ? el("ul", { class: "cluster-list" }, story.cluster.map((s) =>
      el("li", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); openStory(s.article_id); } },
        (s.source || "?") + ": " + s.headline), el("span", { class: "muted" }, " " + s.badge)))) : null,
  );
  const raw = el("div", { class: "raw" },
    el("h3", {}, "Raw wire" + (story.raw_meta && story.raw_meta.filename ? " · " + story.raw_meta.filename : "")),
    story.raw
      ? el("pre", { class: "rawtext" + (story.raw.binary ? " hex" : "") }, story.raw.text)
      : el("p", { class: "muted" }, "The raw wire is older than what this console holds."),
    el("details", {}, el("summary", {}, "Parsed record (JSON)"),
      el("pre", { class: "rawtext" }, JSON.stringify(story.parsed, null, 2))),
  );
  add(view, el("div", { class: "story-columns" }, parsed, raw));
}

// --- subscriptions -------------------------------------------------------------

let checkTimer = null;
let checkSeq = 0;

function onQueryInput() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkQuery, 200);
}

async function checkQuery() {
  const text = $("sub-query").value;
  const seq = ++checkSeq;
  const caret = $("sub-caret");
  const line = $("sub-check");
  if (!text.trim()) {
    caret.hidden = true;
    line.textContent = "Type a query; it is checked as you type.";
    line.className = "check muted";
    $("sub-query").classList.remove("bad", "good");
    return null;
  }
  let result;
  try {
    result = await api("/query/check", { method: "POST", json: { query: text } });
  } catch (error) {
    line.textContent = error.message;
    line.className = "check error";
    return null;
  }
  if (seq !== checkSeq) return null;
  $("sub-query").classList.toggle("bad", !result.ok);
  $("sub-query").classList.toggle("good", result.ok);
  if (result.ok) {
    caret.hidden = true;
    line.textContent = "✓ The query is valid.";
    line.className = "check ok";
  } else {
    // The query's first line with a caret under the column the error is about.
    const column = Math.max(1, result.column || 1);
    const before = text.slice(0, column - 1);
    const lineStart = before.lastIndexOf("\n") + 1;
    const lineEnd = text.indexOf("\n", lineStart);
    const shown = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    caret.textContent = shown + "\n" + " ".repeat(column - 1 - lineStart) + "^";
    caret.hidden = false;
    line.textContent = "Column " + column + ": " + result.error;
    line.className = "check error";
  }
  return result;
}

async function testQuery() {
  const box = $("sub-test-results");
  box.hidden = false;
  clear(box).append(el("p", { class: "muted" }, "Matching the last 24 hours…"));
  let result;
  try {
    result = await api("/query/test", { method: "POST", json: { query: $("sub-query").value } });
  } catch (error) {
    clear(box).append(el("h2", {}, "Test against the last 24 hours"), el("p", { class: "error" }, error.message));
    return;
  }
  clear(box).append(
    el("h2", {}, "Test against the last 24 hours"),
    el("p", { class: "muted", id: "sub-test-summary" },
      result.matched.length + " of " + result.checked + " stories released since " + whenFull(result.since) + " UTC would have matched."),
    el("ol", { class: "alerts" }, result.matched.map((s) =>
      el("li", { class: "alert" },
        el("div", { class: "meta" }, el("span", { class: "source" }, s.source || "?"),
          el("span", { class: badgeClass(s.badge) }, s.badge), el("span", { class: "time" }, when(s.released_at))),
        el("a", { href: "#", class: "headline", onclick: (e) => { e.preventDefault(); showTab("wire"); openStory(s.article_id); } }, s.headline),
        el("div", { class: "reason" }, s.reason)))),
  );
}

async function createSubscription(event) {
  event.preventDefault();
  $("sub-error").textContent = "";
  const body = {
    query: $("sub-query").value,
    updates: $("sub-updates").checked,
  };
  if ($("sub-name").value.trim()) body.name = $("sub-name").value.trim();
  try {
    const made = await api("/subscriptions", { method: "POST", json: body });
    toast("Subscription created: " + (made.subscription.name || made.subscription.id));
    $("sub-name").value = "";
    $("sub-query").value = "";
    checkQuery();
    upsertSubscription(made.subscription);
    selectSubscription(made.subscription.id);
  } catch (error) {
    $("sub-error").textContent = error.message;
  }
}

function upsertSubscription(sub) {
  state.subscriptions = state.subscriptions.filter((s) => s.id !== sub.id);
  state.subscriptions.push(sub);
  state.subscriptions.sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  renderSubscriptions();
}

async function loadSubscriptions() {
  try {
    const page = await api("/subscriptions");
    // Just-created ones may not have reached the worker's registry yet.
    const known = new Map(state.subscriptions.map((s) => [s.id, s]));
    for (const s of page.subscriptions) known.set(s.id, s);
    state.subscriptions = [...known.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    renderSubscriptions();
  } catch (error) {
    if (error.status) toast(error.message, true);
  }
}

function renderSubscriptions() {
  const body = clear($("subs"));
  for (const sub of state.subscriptions) {
    body.append(el("tr", {
      class: "sub" + (sub.id === state.selectedSub ? " selected" : ""),
      dataset: { subscriptionId: sub.id },
      onclick: () => selectSubscription(sub.id),
    },
      el("td", {}, sub.name || sub.id),
      el("td", {}, el("code", {}, sub.query)),
      el("td", { class: "nowrap" }, whenFull(sub.created_at)),
      el("td", {}, el("button", {
        class: "danger small",
        onclick: (e) => { e.stopPropagation(); deleteSubscription(sub); },
      }, "Delete")),
    ));
  }
  $("subs-empty").hidden = state.subscriptions.length > 0;
  $("sub-count").textContent = state.subscriptions.length ? String(state.subscriptions.length) : "";
}

async function deleteSubscription(sub) {
  if (!confirm("Delete the subscription " + (sub.name || sub.id) + "?")) return;
  try {
    await api("/subscriptions/" + encodeURIComponent(sub.id), { method: "DELETE" });
    state.subscriptions = state.subscriptions.filter((s) => s.id !== sub.id);
    if (state.selectedSub === sub.id) { state.selectedSub = null; clear($("alert-feed")); }
    renderSubscriptions();
    toast("Subscription deleted");
  } catch (error) {
    toast(error.message, true);
  }
}

function alertItem(alert) {
  return el("li", { class: "alert", dataset: { alertId: alert.alert_id } },
    el("div", { class: "meta" },
      el("span", { class: "badge " + (alert.kind === "kill" ? "correction" : "first") }, alert.kind),
      el("span", { class: "source" }, alert.source_agency || "?"),
      alert.backfill ? el("span", { class: "badge update" }, "look back") : null,
      el("span", { class: "time" }, when(alert.created_at))),
    el("div", { class: "headline" }, alert.headline),
    el("div", { class: "reason" }, alert.reason));
}

async function selectSubscription(id) {
  state.selectedSub = id;
  renderSubscriptions();
  const sub = state.subscriptions.find((s) => s.id === id);
  $("alert-for").textContent = sub ? (sub.name || sub.id) + " · live" : id;
  const feed = clear($("alert-feed"));
  try {
    const found = await api("/subscriptions/" + encodeURIComponent(id) + "/alerts");
    if (state.selectedSub !== id) return;
    for (const alert of found.alerts) feed.append(alertItem(alert));
  } catch (error) {
    feed.append(el("li", { class: "error" }, error.message));
  }
}

function addAlert(alert) {
  if (alert.subscription_id !== state.selectedSub) return;
  if (document.querySelector('[data-alert-id="' + CSS.escape(alert.alert_id) + '"]')) return;
  const item = alertItem(alert);
  item.classList.add("fresh");
  $("alert-feed").prepend(item);
}

// --- dead letters ----------------------------------------------------------------

async function loadDeadLetters() {
  const params = new URLSearchParams();
  if ($("dlq-stage").value) params.set("stage", $("dlq-stage").value);
  if ($("dlq-code").value) params.set("code", $("dlq-code").value);
  const body = clear($("dlq"));
  body.append(el("tr", {}, el("td", { colspan: "7", class: "muted" }, "Reading the dead-letter topic…")));
  let found;
  try {
    found = await api("/deadletters?" + params.toString());
  } catch (error) {
    clear(body).append(el("tr", {}, el("td", { colspan: "7", class: "error" }, error.message)));
    return;
  }
  clear(body);
  const counts = clear($("dlq-counts"));
  for (const c of found.counts) {
    counts.append(el("span", { class: "chip count" }, c.stage + " · " + c.code + " · " + c.count));
    for (const [select, value] of [["dlq-stage", c.stage], ["dlq-code", c.code]]) {
      if (![...$(select).options].some((o) => o.value === value)) $(select).append(el("option", { value }, value));
    }
  }
  for (const letter of found.letters) {
    const detail = el("tr", { class: "detail", hidden: true },
      el("td", { colspan: "7" },
        el("div", { class: "muted" }, letter.error_type + " · " + (letter.original ? letter.original.bytes + " bytes" + (letter.original.binary ? " (hex)" : "") : "")),
        el("pre", { class: "rawtext" + (letter.original && letter.original.binary ? " hex" : "") }, letter.original ? letter.original.text : "")));
    const redrive = el("button", { class: "small", onclick: (e) => { e.stopPropagation(); redriveLetter(letter, redrive); } }, "Redrive");
    body.append(
      el("tr", { class: "letter", dataset: { letterId: letter.id }, onclick: () => { detail.hidden = !detail.hidden; } },
        el("td", { class: "nowrap" }, whenFull(letter.failed_at)),
        el("td", {}, letter.stage),
        el("td", {}, el("code", {}, letter.code)),
        el("td", {}, letter.reason),
        el("td", { class: "num" }, String(letter.attempts)),
        el("td", {}, letter.filename || letter.source),
        el("td", {}, redrive)),
      detail);
  }
  $("dlq-empty").hidden = found.letters.length > 0;
}

async function redriveLetter(letter, button) {
  button.disabled = true;
  try {
    const outcome = await api("/deadletters/" + encodeURIComponent(letter.id) + "/redrive", { method: "POST" });
    button.textContent = outcome.status === "sent" ? "Sent" : "Already redriven";
    toast("Dead letter " + letter.id + ": " + outcome.status + " to " + outcome.topic);
  } catch (error) {
    button.disabled = false;
    toast(error.message, true);
  }
}

// --- health ------------------------------------------------------------------------

function showHealth(snapshot) {
  const previous = state.health;
  state.health = snapshot;
  const seconds = previous ? (new Date(snapshot.at) - new Date(previous.at)) / 1000 : 0;
  const before = new Map((previous ? previous.stages : []).map((s) => [s.stage, s]));
  const stages = clear($("health-stages"));
  for (const s of snapshot.stages) {
    const old = before.get(s.stage);
    const rate = old && seconds > 0 ? ((s.out - old.out) / seconds).toFixed(1) : "–";
    stages.append(el("tr", {}, el("td", {}, s.stage), el("td", { class: "num" }, s.in),
      el("td", { class: "num" }, s.out), el("td", { class: "num" }, s.dead), el("td", { class: "num" }, rate)));
  }
  if (!snapshot.stages.length) stages.append(el("tr", {}, el("td", { colspan: "5", class: "muted" }, "Nothing processed yet.")));
  const lag = clear($("health-lag"));
  for (const l of snapshot.lag) lag.append(el("tr", {}, el("td", {}, l.topic), el("td", { class: "num" }, l.lag)));
  if (!snapshot.lag.length) lag.append(el("tr", {}, el("td", { colspan: "2", class: "muted" }, "No partitions assigned.")));
  const dead = clear($("health-dead"));
  for (const d of snapshot.dead_letters) dead.append(el("tr", {}, el("td", {}, d.stage), el("td", {}, el("code", {}, d.code)), el("td", { class: "num" }, d.count)));
  if (!snapshot.dead_letters.length) dead.append(el("tr", {}, el("td", { colspan: "3", class: "muted" }, "None.")));
  $("health-queue").textContent = String(snapshot.pool_queue);
  $("health-at").textContent = "as of " + whenFull(snapshot.at) + " UTC";
}

// --- tabs and start-up -----------------------------------------------------------------

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("active", tab.dataset.tab === name);
  for (const pane of ["wire", "subs", "dlq", "health"]) $("pane-" + pane).hidden = pane !== name;
  if (name === "subs") loadSubscriptions();
  if (name === "dlq") loadDeadLetters();
}

async function start() {
  try {
    await api("/session");
  } catch (error) {
    if (error.status === 503) {
      $("signin").hidden = false;
      $("signin-error").textContent = error.message;
      $("signin-button").disabled = true;
    }
    return;
  }
  $("signin").hidden = true;
  $("app").hidden = false;
  $("sign-out").hidden = false;
  const found = await api("/stories");
  state.stories = found.stories;
  renderStories();
  connect();
  loadSubscriptions();
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showTab(tab.dataset.tab));
  $("sub-query").addEventListener("input", onQueryInput);
  $("sub-test").addEventListener("click", testQuery);
  $("sub-form").addEventListener("submit", createSubscription);
  $("dlq-refresh").addEventListener("click", loadDeadLetters);
  $("dlq-stage").addEventListener("change", loadDeadLetters);
  $("dlq-code").addEventListener("change", loadDeadLetters);
  start();
});
