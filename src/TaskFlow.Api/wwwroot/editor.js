// Creating and editing a task in the full form.

import { api, ApiError } from "./api.js";
import { $, announce, el } from "./dom.js";
import { clearErrors, showFieldErrors } from "./forms.js";
import { loadTasks } from "./list.js";
import { state } from "./state.js";
import { fillZones } from "./time.js";

/** The priorities as the API names them, lowest first: the editor offers them so, the filter highest first after "Any". */
const PRIORITIES = ["none", "low", "medium", "high"];

export function wireEditor() {
  const option = (p) => el("option", { value: p }, p[0].toUpperCase() + p.slice(1));
  $("task-priority").append(...PRIORITIES.map(option));
  $("filter-priority").append(...PRIORITIES.toReversed().map(option));
  $("new-task").addEventListener("click", () => openEditor());
  $("task-form").addEventListener("submit", saveTask);
  $("cancel-edit").addEventListener("click", () => $("editor").close());
  $("task-recurrence-mode").addEventListener("change", (e) => (e.currentTarget.dataset.touched = "yes"));
}

export function openEditor(task = null) {
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
