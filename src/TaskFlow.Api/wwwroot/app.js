// The TaskFlow page. Every text a user typed reaches the DOM through text nodes (el() below, textContent),
// never as markup, so a title such as <img onerror=...> is shown, not run.

import { api, ApiError, session, SESSION_KEY, whenSignedOut } from "./api.js";
import { LiveFeed } from "./live.js";

const $ = (id) => document.getElementById(id);

/** Builds an element; strings among the children become text nodes. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const state = {
  profile: null,
  tasks: [],
  nextCursor: null,
  editing: null,
  unread: 0,
  // Changes this tab made itself ("taskId:version"): their notifications are not news here.
  ownChanges: new Set(),
  feed: null,
};

// ---------------------------------------------------------------------------------------------------------------
// Time zones and dates

const zones = (() => {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return all.includes("UTC") ? all : ["UTC", ...all];
})();
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function fillZones(select, selected) {
  const list = zones.includes(selected) ? zones : [selected, ...zones];
  select.replaceChildren(...list.map((z) => el("option", { value: z, selected: z === selected }, z.replaceAll("_", " "))));
}

function formatInstant(iso, zone, withTime = true) {
  const options = withTime ? { dateStyle: "medium", timeStyle: "short", timeZone: zone } : { dateStyle: "medium", timeZone: zone };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
}

function describeDue(due) {
  const zone = state.profile.timeZone;
  if (due.allDay) return `Due ${formatInstant(`${due.date}T12:00:00Z`, "UTC", false)}`;
  const here = formatInstant(due.at, zone);
  if (due.timeZone === zone) return `Due ${here}`;
  const there = new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone: due.timeZone }).format(new Date(due.at));
  return `Due ${here} (${there} in ${due.timeZone.replaceAll("_", " ")})`;
}

function describeOffset(iso) {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return iso;
  const parts = [];
  const names = [["week", m[1]], ["day", m[2]], ["hour", m[3]], ["minute", m[4]], ["second", m[5]]];
  for (const [name, value] of names) if (value && Number(value) > 0) parts.push(`${value} ${name}${Number(value) === 1 ? "" : "s"}`);
  return parts.length ? parts.join(" ") : "at due time";
}

// ---------------------------------------------------------------------------------------------------------------
// Feedback: toasts, announcements, connection state

function announce(text) {
  $("alerts").textContent = "";
  // A fresh text node in a live region is what screen readers announce; a background tab gets no animation frames.
  setTimeout(() => ($("alerts").textContent = text), 50);
}

function toast(message, { tone = "info", timeout = 5000 } = {}) {
  const node = el("div", { class: `toast ${tone}`, role: tone === "error" ? "alert" : "status" },
    el("p", {}, message),
    el("button", { type: "button", class: "link", "aria-label": "Dismiss message", onclick: () => node.remove() }, "×"));
  $("toasts").append(node);
  if (timeout) setTimeout(() => node.remove(), timeout);
}

function showError(error) {
  toast(error instanceof ApiError ? error.message : "Something went wrong. Please try again.", { tone: "error", timeout: 8000 });
}

const connectionText = { connecting: "Connecting…", online: "Live", reconnecting: "Reconnecting…", offline: "Offline" };
function setConnection(s) {
  const node = $("connection");
  node.dataset.state = s;
  node.textContent = connectionText[s];
  node.title = s === "online" ? "Changes from other tabs and devices appear as they happen." : "Changes will appear when the connection is back.";
}

// ---------------------------------------------------------------------------------------------------------------
// Signing in and out

let signingUp = false;

function showAuth(mode) {
  signingUp = mode === "up";
  $("auth-heading").textContent = signingUp ? "Create your TaskFlow account" : "Sign in to TaskFlow";
  $("auth-submit").textContent = signingUp ? "Create account" : "Sign in";
  $("auth-password").autocomplete = signingUp ? "new-password" : "current-password";
  $("show-sign-in").setAttribute("aria-pressed", String(!signingUp));
  $("show-sign-up").setAttribute("aria-pressed", String(signingUp));
  clearErrors($("auth-form"));
}

async function submitAuth(event) {
  event.preventDefault();
  const form = $("auth-form");
  clearErrors(form);
  const email = $("auth-email").value.trim();
  const password = $("auth-password").value;
  const button = $("auth-submit");
  button.disabled = true;
  try {
    if (signingUp) await api.register(email, password, browserZone);
    const token = await api.login(email, password);
    session.set(token, email);
    $("auth-password").value = "";
    await enter();
  } catch (error) {
    showFieldErrors(form, error);
  } finally {
    button.disabled = false;
  }
}

async function enter() {
  try {
    state.profile = await api.profile();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return leave();
    showError(error);
    return;
  }
  $("auth").hidden = true;
  $("tasks").hidden = false;
  $("session-bar").hidden = false;
  $("who").textContent = state.profile.email;
  fillZones($("profile-zone"), state.profile.timeZone);
  const [, newest] = await Promise.all([loadTasks(), loadInboxHead()]);
  await startLive(newest);
  $("tasks-heading").focus?.();
}

async function leave() {
  session.clear();
  await state.feed?.stop();
  state.feed = null;
  state.profile = null;
  state.tasks = [];
  $("task-list").replaceChildren();
  $("inbox-list").replaceChildren();
  $("tasks").hidden = true;
  $("session-bar").hidden = true;
  $("auth").hidden = false;
  showAuth("in");
  $("auth-email").focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Forms: field errors from ProblemDetails

function clearErrors(form) {
  for (const p of form.querySelectorAll(".error")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Puts each message next to the field it names ("reminders[1]" goes to reminders, "due.dateTime" to due). */
function showFieldErrors(form, error) {
  if (!(error instanceof ApiError)) return showError(error);
  const slots = [...form.querySelectorAll("[data-error-for]")];
  const general = slots.find((s) => s.dataset.errorFor === "");
  const entries = Object.entries(error.fieldErrors);
  if (entries.length === 0) {
    general.textContent = error.message;
    general.hidden = false;
    return;
  }
  let first = null;
  for (const [key, messages] of entries) {
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    const slot = slots
      .filter((s) => s.dataset.errorFor && (name === s.dataset.errorFor || name.startsWith(`${s.dataset.errorFor}.`) || name.startsWith(`${s.dataset.errorFor}[`)))
      .sort((a, b) => b.dataset.errorFor.length - a.dataset.errorFor.length)[0] ?? general;
    const text = messages.join(" ");
    slot.textContent = slot === general ? `${key}: ${text}` : (slot.textContent ? `${slot.textContent} ${text}` : text);
    slot.hidden = false;
    const input = slot.id ? form.querySelector(`[aria-describedby~="${slot.id}"]`) : null;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      first ??= input;
    }
  }
  (first ?? general).focus?.();
}

// ---------------------------------------------------------------------------------------------------------------
// The task list

function currentFilters() {
  return {
    q: $("filter-q").value.trim(),
    status: $("filter-status").value,
    priority: $("filter-priority").value,
    tag: $("filter-tag").value.trim(),
    overdue: $("filter-overdue").checked ? "true" : "",
    sort: $("filter-sort").value,
    limit: 50,
  };
}

let listRequest = 0;
async function loadTasks({ append = false } = {}) {
  const request = ++listRequest;
  const query = currentFilters();
  if (append) query.cursor = state.nextCursor;
  try {
    const page = await api.listTasks(query);
    // A slower, older answer must not overwrite a newer one.
    if (request !== listRequest) return;
    state.tasks = append ? [...state.tasks, ...page.items] : page.items;
    state.nextCursor = page.nextCursor;
    renderTasks();
  } catch (error) {
    if (request === listRequest) showError(error);
  }
}

let reloadTimer = 0;
function reloadSoon(delay = 25) {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => loadTasks(), delay);
}

function renderTasks() {
  const list = $("task-list");
  const focusedId = document.activeElement?.closest?.(".task")?.dataset.id;
  const focusedRole = document.activeElement?.dataset?.role;
  list.replaceChildren(...state.tasks.map(renderTask));
  const count = state.tasks.length;
  $("list-status").textContent = count === 0 ? "No tasks match." : `${count}${state.nextCursor ? "+" : ""} task${count === 1 ? "" : "s"}`;
  $("more").hidden = !state.nextCursor;
  // Keep keyboard users where they were when a live update redraws the list.
  if (focusedId) list.querySelector(`.task[data-id="${focusedId}"] [data-role="${focusedRole}"]`)?.focus();
}

function renderTask(task) {
  const done = task.status === "completed";
  const titleId = `title-${task.id}`;
  const meta = [];
  if (task.due) meta.push(el("time", { datetime: task.due.at, class: task.overdue ? "overdue" : "" }, describeDue(task.due), task.overdue ? " · overdue" : ""));
  if (task.priority !== "none") meta.push(el("span", { class: `priority ${task.priority}` }, `${task.priority} priority`));
  if (task.recurrenceSummary) meta.push(el("span", { class: "repeat" }, `Repeats: ${task.recurrenceSummary}`));
  if (task.reminders.length) meta.push(el("span", { class: "reminders" }, `Reminder ${task.reminders.map(describeOffset).join(", ")} before`));
  for (const tag of task.tags) meta.push(el("span", { class: "tag" }, `#${tag}`));

  return el("li", { class: `task${done ? " done" : ""}`, dataset: { id: task.id, version: String(task.version) } },
    el("input", {
      type: "checkbox", checked: done, "aria-labelledby": titleId, "aria-describedby": `state-${task.id}`,
      dataset: { role: "toggle" }, onchange: () => toggle(task),
    }),
    el("div", { class: "task-body" },
      el("span", { class: "task-title", id: titleId }, task.title),
      el("span", { class: "visually-hidden", id: `state-${task.id}` }, done ? "completed" : "open"),
      task.description ? el("p", { class: "task-notes" }, task.description) : null,
      meta.length ? el("div", { class: "task-meta" }, ...meta) : null),
    el("div", { class: "task-actions" },
      el("button", { type: "button", class: "secondary", dataset: { role: "edit" }, "aria-label": `Edit ${task.title}`, onclick: () => openEditor(task) }, "Edit"),
      el("button", { type: "button", class: "danger", dataset: { role: "delete" }, "aria-label": `Delete ${task.title}`, onclick: (e) => remove(task, e.currentTarget) }, "Delete")));
}

function remember(task) {
  state.ownChanges.add(`${task.id}:${task.version}`);
}

async function toggle(task) {
  try {
    const changed = task.status === "completed" ? await api.reopen(task.id, task.version) : await api.complete(task.id, task.version);
    remember(changed);
    announce(`${changed.title} ${changed.status === "completed" ? "completed" : "reopened"}`);
  } catch (error) {
    showError(error);
  }
  await loadTasks();
}

const deleteConfirmMs = 4000;
async function remove(task, button) {
  // Two presses, so a stray Enter does not delete; no modal dialog to get in the way.
  if (button.dataset.confirm !== "yes") {
    button.dataset.confirm = "yes";
    button.textContent = "Confirm delete";
    setTimeout(() => {
      if (button.isConnected) {
        button.dataset.confirm = "";
        button.textContent = "Delete";
      }
    }, deleteConfirmMs);
    return;
  }
  try {
    state.ownChanges.add(`${task.id}:deleted`);
    await api.deleteTask(task.id, task.version);
    announce(`${task.title} deleted`);
  } catch (error) {
    showError(error);
  }
  await loadTasks();
}

// ---------------------------------------------------------------------------------------------------------------
// Creating and editing

function openEditor(task = null) {
  state.editing = task;
  const form = $("task-form");
  form.reset();
  clearErrors(form);
  $("editor-heading").textContent = task ? "Edit task" : "New task";
  $("task-title").value = task?.title ?? "";
  $("task-description").value = task?.description ?? "";
  $("task-priority").value = task?.priority ?? "none";
  $("task-tags").value = task?.tags.join(", ") ?? "";
  const due = task?.due;
  $("task-due").value = due ? (due.allDay ? `${due.date}T00:00` : due.dateTime.slice(0, 19)) : "";
  fillZones($("task-zone"), due?.timeZone ?? state.profile.timeZone);
  $("task-reminders").value = task?.reminders.join(", ") ?? "";
  $("task-recurrence").value = task?.recurrence ?? "";
  $("task-recurrence-mode").value = "schedule";
  $("task-recurrence-mode").dataset.touched = "";
  $("editor").showModal();
  $("task-title").focus();
}

function splitList(text) {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

function draftFromForm() {
  const due = $("task-due").value;
  const draft = {
    title: $("task-title").value,
    description: $("task-description").value.trim() || null,
    priority: $("task-priority").value,
    tags: splitList($("task-tags").value),
    due: due ? { dateTime: due, timeZone: $("task-zone").value } : null,
    reminders: splitList($("task-reminders").value),
    recurrence: $("task-recurrence").value.trim() || null,
  };
  // Editing, the series keeps its own mode unless it was changed here.
  if (draft.recurrence && (!state.editing || $("task-recurrence-mode").dataset.touched)) draft.recurrenceMode = $("task-recurrence-mode").value;
  return draft;
}

async function saveTask(event) {
  event.preventDefault();
  const form = $("task-form");
  clearErrors(form);
  const button = $("save-task");
  button.disabled = true;
  try {
    const editing = state.editing;
    const saved = editing ? await api.updateTask(editing.id, editing.version, draftFromForm()) : await api.createTask(draftFromForm());
    remember(saved);
    $("editor").close();
    announce(editing ? `Saved ${saved.title}` : `Created ${saved.title}`);
    await loadTasks();
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) {
      showFieldErrors(form, new ApiError(412, { detail: "Someone changed this task meanwhile. Close and open it again to see their version." }));
    } else {
      showFieldErrors(form, error);
    }
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications: the bell, the inbox and reminder toasts

const kindText = {
  "task.created": "Created",
  "task.updated": "Changed",
  "task.completed": "Completed",
  "task.reopened": "Reopened",
  "task.deleted": "Deleted",
  "reminder.triggered": "Reminder",
  "occurrence.created": "Next occurrence",
};

function setUnread(count) {
  state.unread = Math.max(0, count);
  const badge = $("unread");
  badge.textContent = state.unread > 99 ? "99+" : String(state.unread);
  badge.hidden = state.unread === 0;
  $("bell").setAttribute("aria-label", `Notifications, ${state.unread} unread`);
}

/** Sets the bell from the inbox and returns the newest id it holds, where live delivery starts. */
async function loadInboxHead() {
  try {
    // Unread come first, so the first item is the newest only when it is unread or nothing is.
    const head = await api.inbox({ limit: 1 });
    setUnread(head.unreadCount);
    let newest = head.items[0]?.id ?? 0;
    if (head.items[0] && !head.items[0].read) {
      const read = await api.inbox({ limit: 1, cursor: `r.${Number.MAX_SAFE_INTEGER}` });
      newest = Math.max(newest, read.items[0]?.id ?? 0);
    }
    return newest;
  } catch (error) {
    showError(error);
    return 0;
  }
}

// Another tab may have read some meanwhile (its own changes, for one): the inbox's count is the truth.
let unreadTimer = 0;
function refreshUnreadSoon() {
  clearTimeout(unreadTimer);
  unreadTimer = setTimeout(() => api.inbox({ limit: 1 }).then((page) => setUnread(page.unreadCount)).catch(() => {}), 500);
}

async function startLive(newest) {
  await state.feed?.stop();
  state.feed = new LiveFeed(onNotification, setConnection);
  await state.feed.start(newest);
}

function onNotification(n, live) {
  const own = n.kind === "task.deleted" ? state.ownChanges.delete(`${n.taskId}:deleted`) : state.ownChanges.delete(`${n.taskId}:${n.version}`);
  if (own) {
    // This tab made the change: the list shows it already, and it is not news to the person here.
    api.markRead(n.id).catch(() => {});
    return;
  }
  if (n.kind === "reminder.triggered") {
    showReminder(n);
  } else if (!n.read) {
    const shown = state.tasks.find((t) => t.id === n.taskId);
    if (!(shown && n.version !== null && shown.version >= n.version)) reloadSoon();
  }
  if (!n.read) {
    setUnread(state.unread + 1);
    refreshUnreadSoon();
  }
  if (!$("inbox").hidden) prependInbox(n);
  if (live && n.kind !== "reminder.triggered") announce(`${kindText[n.kind] ?? "Changed"}: ${n.title}`);
}

function showReminder(n) {
  const task = state.tasks.find((t) => t.id === n.taskId);
  const when = task?.due ? describeDue(task.due) : "";
  const close = () => node.remove();
  const done = async (action) => {
    try {
      await action();
      close();
    } catch (error) {
      showError(error);
    }
  };
  const headingId = `reminder-${n.id}`;
  const node = el("section", { class: "toast reminder", role: "alertdialog", "aria-labelledby": headingId, dataset: { taskId: n.taskId } },
    el("h2", { id: headingId }, "Reminder"),
    el("p", { class: "reminder-title" }, n.title),
    when ? el("p", { class: "muted" }, when) : null,
    el("div", { class: "actions" },
      el("button", { type: "button", onclick: () => done(() => snooze(n, 5)) }, "Snooze 5 min"),
      el("button", { type: "button", class: "secondary", onclick: () => done(() => snooze(n, 60)) }, "Snooze 1 hour"),
      el("button", { type: "button", class: "secondary", onclick: () => done(() => markRead(n)) }, "Dismiss")));
  $("toasts").append(node);
  announce(`Reminder: ${n.title}${when ? `. ${when}` : ""}`);
  reloadSoon();
}

async function snooze(n, minutes) {
  await api.snooze(n.taskId, n.reminderId, minutes);
  await markRead(n);
  announce(`Snoozed ${minutes === 60 ? "1 hour" : `${minutes} minutes`}`);
}

async function markRead(n) {
  if (n.read) return;
  await api.markRead(n.id);
  n.read = true;
  setUnread(state.unread - 1);
  document.querySelector(`#inbox-list [data-id="${n.id}"]`)?.classList.remove("unread");
}

function inboxItem(n) {
  const item = el("li", { class: n.read ? "" : "unread", dataset: { id: String(n.id) } },
    el("button", { type: "button", class: "inbox-entry", onclick: () => markRead(n).catch(showError) },
      el("span", { class: "kind" }, kindText[n.kind] ?? n.kind),
      el("span", { class: "inbox-title" }, n.title),
      el("time", { datetime: n.occurredAt, class: "muted" }, formatInstant(n.occurredAt, state.profile.timeZone)),
      n.read ? null : el("span", { class: "visually-hidden" }, " (unread)")));
  return item;
}

function prependInbox(n) {
  $("inbox-list").prepend(inboxItem(n));
  $("inbox-empty").hidden = true;
}

async function toggleInbox() {
  const panel = $("inbox");
  const opening = panel.hidden;
  panel.hidden = !opening;
  $("bell").setAttribute("aria-expanded", String(opening));
  if (!opening) return;
  try {
    const page = await api.inbox({ limit: 30 });
    setUnread(page.unreadCount);
    $("inbox-list").replaceChildren(...page.items.map(inboxItem));
    $("inbox-empty").hidden = page.items.length > 0;
    $("read-all").focus();
  } catch (error) {
    showError(error);
  }
}

async function markAllRead() {
  try {
    await api.markAllRead();
    setUnread(0);
    for (const item of $("inbox-list").querySelectorAll(".unread")) item.classList.remove("unread");
  } catch (error) {
    showError(error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Notification settings: which kinds show live, and quiet hours

async function openSettings() {
  const form = $("settings-form");
  clearErrors(form);
  try {
    const preferences = await api.preferences();
    $("live-kinds").replaceChildren(...Object.entries(kindText).map(([kind, text]) => {
      const id = `live-${kind.replace(".", "-")}`;
      return el("div", { class: "check" },
        el("input", { type: "checkbox", id, value: kind, checked: preferences.live.includes(kind) }),
        el("label", { for: id }, text === "Changed" ? "Changed elsewhere" : text));
    }));
    $("quiet-on").checked = preferences.quietHours !== null;
    $("quiet-start").value = preferences.quietHours?.start ?? "22:00";
    $("quiet-end").value = preferences.quietHours?.end ?? "07:00";
    $("settings").showModal();
  } catch (error) {
    showError(error);
  }
}

async function saveSettings(event) {
  event.preventDefault();
  const form = $("settings-form");
  clearErrors(form);
  const live = [...$("live-kinds").querySelectorAll("input:checked")].map((input) => input.value);
  const quietHours = $("quiet-on").checked ? { start: $("quiet-start").value, end: $("quiet-end").value } : null;
  try {
    await api.savePreferences({ live, quietHours });
    $("settings").close();
    announce("Notification settings saved");
  } catch (error) {
    showFieldErrors(form, error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring

function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** The priorities as the API names them, lowest first: the editor offers them so, the filter highest first after "Any". */
const PRIORITIES = ["none", "low", "medium", "high"];

function fillPriorities() {
  const option = (p) => el("option", { value: p }, p[0].toUpperCase() + p.slice(1));
  $("task-priority").append(...PRIORITIES.map(option));
  $("filter-priority").append(...PRIORITIES.toReversed().map(option));
}

function wire() {
  fillPriorities();
  $("show-sign-in").addEventListener("click", () => showAuth("in"));
  $("show-sign-up").addEventListener("click", () => showAuth("up"));
  $("auth-form").addEventListener("submit", submitAuth);
  $("sign-out").addEventListener("click", () => leave());
  $("new-task").addEventListener("click", () => openEditor());
  $("task-form").addEventListener("submit", saveTask);
  $("cancel-edit").addEventListener("click", () => $("editor").close());
  $("task-recurrence-mode").addEventListener("change", (e) => (e.currentTarget.dataset.touched = "yes"));
  $("more").addEventListener("click", () => loadTasks({ append: true }));
  $("bell").addEventListener("click", toggleInbox);
  $("open-settings").addEventListener("click", openSettings);
  $("settings-form").addEventListener("submit", saveSettings);
  $("cancel-settings").addEventListener("click", () => $("settings").close());
  $("read-all").addEventListener("click", markAllRead);
  $("inbox").addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      toggleInbox();
      $("bell").focus();
    }
  });
  $("profile-zone").addEventListener("change", async (e) => {
    try {
      state.profile = await api.setZone(e.currentTarget.value);
      announce(`Times now shown in ${state.profile.timeZone}`);
      renderTasks();
    } catch (error) {
      showError(error);
    }
  });
  const refilter = debounce(() => loadTasks(), 250);
  $("filters").addEventListener("input", refilter);
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  whenSignedOut(() => leave());
  // Every tab shares one sign-in: signing in or out in one does the same in the others.
  window.addEventListener("storage", (e) => {
    if (e.key !== null && e.key !== SESSION_KEY) return;
    if (session.get() && !state.profile) enter();
    else if (!session.get() && state.profile) leave();
  });
}

wire();
if (session.get()) {
  enter();
} else {
  $("auth").hidden = false;
  showAuth("in");
}
