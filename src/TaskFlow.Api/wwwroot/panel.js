// The task panel: one task's story (its audit log in sentences) and, for a repeating task, the dates it falls due on
// next. It follows the task live: a change from anywhere reloads it while it is open.

import { api, ApiError } from "./api.js";
import { $, el, showError } from "./dom.js";
import { userZone } from "./state.js";
import { describeDue, describeOffset, formatDue, formatInstant } from "./time.js";

const NEXT_DATES = 5;
// The worker writes the audit log a moment after the change; the panel asks again until the entry is there.
const HISTORY_RETRY_MS = 1000;
const HISTORY_RETRIES = 15;

let open = null;
let retryTimer = 0;

export function wirePanel() {
  $("close-panel").addEventListener("click", () => $("panel").close());
  $("panel").addEventListener("close", () => {
    clearTimeout(retryTimer);
    const closed = open;
    open = null;
    // Back where the person was: the task's title, redrawn meanwhile perhaps, or the list's heading once it is gone.
    const title = closed?.opener?.isConnected ? closed.opener : document.querySelector(`.task[data-id="${closed?.id}"] [data-role="open"]`);
    (title ?? $("tasks-heading")).focus();
  });
}

export async function openPanel(task, opener) {
  open = { id: task.id, opener, retries: 0 };
  renderTask(task);
  $("panel-history").replaceChildren(el("li", { class: "muted" }, "Loading…"));
  $("panel").showModal();
  $("close-panel").focus();
  await load(task);
}

/** A notification about <taskId> arrived: the open panel shows the task as it now stands. */
export function panelTaskChanged(taskId) {
  if (open?.id === taskId) load(null);
}

async function load(known) {
  const id = open?.id;
  if (!id) return;
  clearTimeout(retryTimer);
  let task = known;
  try {
    task ??= await api.getTask(id);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) return showError(error);
  }
  try {
    const [history, next] = await Promise.all([
      api.history(id),
      task?.recurrence ? api.occurrences(id, NEXT_DATES) : null,
    ]);
    if (open?.id !== id) return;
    if (task) renderTask(task);
    else $("panel-meta").replaceChildren(el("p", { class: "muted" }, "This task was deleted."));
    renderNext(next);
    renderHistory(history.items);
    const newest = history.items.at(-1)?.taskVersion ?? 0;
    if (task && newest < task.version && open.retries++ < HISTORY_RETRIES) retryTimer = setTimeout(() => load(null), HISTORY_RETRY_MS);
  } catch (error) {
    if (open?.id === id) showError(error);
  }
}

function renderTask(task) {
  const zone = userZone();
  $("panel-heading").textContent = task.title;
  const facts = [
    task.status === "completed" ? `Completed ${formatInstant(task.completedAt, zone)}` : "Open",
    task.due ? describeDue(task.due, zone) : "No due date",
    task.priority !== "none" ? `${capitalize(task.priority)} priority` : null,
    task.recurrenceSummary ? `Repeats: ${task.recurrenceSummary}` : null,
    task.reminders.length ? `Reminder ${task.reminders.map(describeOffset).join(", ")} before` : null,
    task.tags.length ? task.tags.map((t) => `#${t}`).join(" ") : null,
  ].filter(Boolean);
  const list = el("ul", { class: "panel-facts" }, facts.map((f) => el("li", {}, f)));
  $("panel-meta").replaceChildren(...[list, task.description ? el("p", { class: "task-notes" }, task.description) : null].filter(Boolean));
}

function renderNext(next) {
  const section = $("panel-next");
  section.hidden = !next || next.occurrences.length === 0;
  if (section.hidden) return;
  $("panel-next-list").replaceChildren(...next.occurrences.map((due) =>
    el("li", {}, el("time", { datetime: due.at }, formatDue(due, userZone())))));
}

function renderHistory(entries) {
  const zone = userZone();
  const list = $("panel-history");
  if (entries.length === 0) {
    list.replaceChildren(el("li", { class: "muted" }, "Being recorded…"));
    return;
  }
  list.replaceChildren(...entries.map((entry) =>
    el("li", {},
      el("span", { class: "history-what" }, describeEntry(entry, zone)),
      el("time", { datetime: entry.occurredAt, class: "muted" }, formatInstant(entry.occurredAt, zone)))));
}

/** One audit entry as a person says it: "Created", "Priority changed to high; Renamed to “Pay rent”", "Completed". */
export function describeEntry(entry, zone) {
  const event = entry.event ?? {};
  switch (entry.type) {
    case "created":
      return event.nextOccurrence ? "Created as the next occurrence of its series" : "Created";
    case "completed":
      return "Completed";
    case "reopened":
      return "Reopened";
    case "deleted":
      return "Deleted";
    case "updated":
      return (event.changed ?? []).map((field) => describeChange(field, event.task, zone)).join("; ") || "Changed";
    default:
      return capitalize(entry.type);
  }
}

function describeChange(field, task, zone) {
  switch (field) {
    case "title":
      return `Renamed to “${task.title}”`;
    case "description":
      return task.description ? "Notes changed" : "Notes removed";
    case "priority":
      return `Priority changed to ${task.priority}`;
    case "tags":
      return task.tags.length ? `Tags changed to ${task.tags.map((t) => `#${t}`).join(" ")}` : "Tags removed";
    case "due":
      return task.due
        ? `Due date changed to ${formatDue({ allDay: task.due.allDay, date: task.due.local.slice(0, 10), timeZone: task.due.timeZone, at: task.due.at }, zone)}`
        : "Due date removed";
    case "reminders":
      return task.reminders.length ? `Reminders changed to ${task.reminders.map(describeOffset).join(", ")} before` : "Reminders removed";
    case "recurrence":
      return task.recurrence ? "Repeat changed" : "Stopped repeating";
    default:
      return `${capitalize(field)} changed`;
  }
}

const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);

