// The task list in its four views, kept current: each change, here or elsewhere, reloads what the view shows.

import { api } from "./api.js";
import { $, announce, el, showError } from "./dom.js";
import { openEditor } from "./editor.js";
import { openPanel } from "./panel.js";
import { state, userZone } from "./state.js";
import { dayHeading, dayIn, describeDue, describeOffset } from "./time.js";
import { byDay, listingFor, usesOwnControls, VIEWS, viewFromHash } from "./views.js";

let view = viewFromHash(location.hash);

export function wireList() {
  $("more").addEventListener("click", () => loadTasks({ append: true }));
  window.addEventListener("hashchange", () => {
    const next = viewFromHash(location.hash, view);
    if (next === view) return;
    view = next;
    showView();
    loadTasks();
  });
  showView();
}

function showView() {
  for (const link of document.querySelectorAll("#views a")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  $("tasks-heading").textContent = VIEWS[view].heading;
  for (const control of document.querySelectorAll("[data-all-only]")) control.hidden = !usesOwnControls(view);
}

function currentFilters() {
  return {
    q: $("filter-q").value.trim(),
    status: $("filter-status").value,
    priority: $("filter-priority").value,
    tag: $("filter-tag").value.trim(),
    overdue: $("filter-overdue").checked ? "true" : "",
    sort: $("filter-sort").value,
  };
}

/** A search, a priority or a tag, or in All a status other than open: an empty answer then means "no match". */
function filtering(filters) {
  return Boolean(filters.q || filters.priority || filters.tag || (view === "all" && (filters.status !== "open" || filters.overdue)));
}

let listRequest = 0;
export async function loadTasks({ append = false } = {}) {
  const request = ++listRequest;
  const filters = currentFilters();
  const { query, keep } = listingFor(view, filters, userZone());
  if (append) query.cursor = state.nextCursor;
  try {
    const page = await api.listTasks(query);
    const items = page.items.filter(keep);
    // Only a view with nothing in it asks whether there is anything at all, to tell a new list from an empty day.
    const none = !append && items.length === 0 && !filtering(filters) && (await api.listTasks({ limit: 1 })).items.length === 0;
    // A slower, older answer must not overwrite a newer one.
    if (request !== listRequest) return;
    state.tasks = append ? [...state.tasks, ...items] : items;
    state.nextCursor = page.nextCursor;
    renderTasks({ filtered: filtering(filters), none });
  } catch (error) {
    if (request === listRequest) showError(error);
  }
}

let reloadTimer = 0;
export function reloadSoon(delay = 25) {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => loadTasks(), delay);
}

let shown = { filtered: false, none: false };
function renderTasks(how = shown) {
  shown = how;
  const list = $("task-list");
  const focusedId = document.activeElement?.closest?.(".task")?.dataset.id;
  const focusedRole = document.activeElement?.dataset?.role;
  if (view === "upcoming") {
    const today = dayIn(Date.now(), userZone());
    list.replaceChildren(...byDay(state.tasks, userZone()).map(({ day, tasks }) =>
      el("li", { class: "day", dataset: { day } },
        el("h2", { class: "day-heading", id: `day-${day}` }, dayHeading(day, today)),
        el("ul", { class: "task-list", "aria-labelledby": `day-${day}` }, tasks.map(renderTask)))));
  } else {
    list.replaceChildren(...state.tasks.map(renderTask));
  }
  const count = state.tasks.length;
  $("empty-state").hidden = !(count === 0 && how.none);
  $("list-status").textContent = count > 0
    ? `${count}${state.nextCursor ? "+" : ""} task${count === 1 ? "" : "s"}`
    : how.none ? "" : how.filtered ? "No tasks match." : VIEWS[view].empty;
  $("more").hidden = !state.nextCursor;
  // Keep keyboard users where they were when a live update redraws the list.
  if (focusedId) list.querySelector(`.task[data-id="${focusedId}"] [data-role="${focusedRole}"]`)?.focus();
}

function renderTask(task) {
  const done = task.status === "completed";
  const titleId = `title-${task.id}`;
  const meta = [];
  if (task.due) meta.push(el("time", { datetime: task.due.at, class: task.overdue ? "overdue" : "" }, describeDue(task.due, userZone()), task.overdue ? " · overdue" : ""));
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
      el("button", {
        type: "button", class: "task-title", id: titleId, dataset: { role: "open" }, "aria-haspopup": "dialog",
        onclick: (e) => openPanel(task, e.currentTarget),
      }, task.title),
      el("span", { class: "visually-hidden", id: `state-${task.id}` }, done ? "completed" : "open"),
      task.description ? el("p", { class: "task-notes" }, task.description) : null,
      meta.length ? el("div", { class: "task-meta" }, ...meta) : null),
    el("div", { class: "task-actions" },
      el("button", { type: "button", class: "secondary", dataset: { role: "edit" }, "aria-label": `Edit ${task.title}`, onclick: () => openEditor(task) }, "Edit"),
      el("button", { type: "button", class: "danger", dataset: { role: "delete" }, "aria-label": `Delete ${task.title}`, onclick: (e) => remove(task, e.currentTarget) }, "Delete")));
}

async function toggle(task) {
  try {
    const changed = task.status === "completed" ? await api.reopen(task.id, task.version) : await api.complete(task.id, task.version);
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
    await api.deleteTask(task.id, task.version);
    announce(`${task.title} deleted`);
  } catch (error) {
    showError(error);
  }
  await loadTasks();
}
