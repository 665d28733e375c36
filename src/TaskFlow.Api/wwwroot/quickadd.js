// The quick-add box: a sentence becomes a task. While the person types, the server's dry run says what it understood
// (a chip per part: its kind, the words, their meaning) or why it would refuse; Enter creates exactly that.

import { api, ApiError } from "./api.js";
import { $, announce, el, showError } from "./dom.js";

const PREVIEW_DELAY_MS = 250;
const kindText = { due: "Due", recurrence: "Repeats", priority: "Priority", tag: "Tag", reminder: "Reminder" };

let pending = null;
let timer = 0;

/** <onCreated(task)> runs after each task the box created. */
export function wireQuickAdd(onCreated) {
  const input = $("quick-text");
  $("empty-focus").addEventListener("click", () => input.focus());
  input.addEventListener("input", () => {
    clearTimeout(timer);
    cancelPreview();
    if (!input.value.trim()) return clear();
    timer = setTimeout(() => preview(input.value), PREVIEW_DELAY_MS);
  });
  $("quick-add").addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    cancelPreview();
    const text = input.value;
    if (!text.trim()) return;
    try {
      const task = await api.quickAdd(text);
      input.value = "";
      clear();
      announce(`Created ${task.title}`);
      await onCreated(task);
    } catch (error) {
      if (!showRefusal(error)) showError(error);
    }
  });
}

function cancelPreview() {
  pending?.abort();
  pending = null;
}

async function preview(text) {
  // Only the newest text's answer is shown: an older request still under way is cancelled.
  const request = new AbortController();
  pending = request;
  try {
    const understood = await api.quickPreview(text, request.signal);
    if (pending !== request) return;
    show(understood);
  } catch (error) {
    if (request.signal.aborted || pending !== request) return;
    if (!showRefusal(error)) showError(error);
  }
}

function show(result) {
  $("quick-text").removeAttribute("aria-invalid");
  $("quick-preview").replaceChildren(
    el("p", { class: "quick-title" }, el("span", { class: "muted" }, "Title: "), el("strong", {}, result.title)),
    result.understood.length === 0
      ? el("p", { class: "muted" }, "Nothing else understood: the whole text is the title.")
      : el("ul", { class: "chips", "aria-label": "Understood" }, result.understood.map((part) =>
        el("li", { class: "chip", dataset: { kind: part.kind } },
          el("span", { class: "chip-kind" }, `${kindText[part.kind] ?? part.kind}:`), " ",
          el("span", { class: "chip-meaning" }, part.meaning),
          el("span", { class: "chip-text" }, ` (“${part.text}”)`)))));
}

/** A 400 names the text and says why; it shows where the preview would be. */
function showRefusal(error) {
  if (!(error instanceof ApiError) || error.status !== 400) return false;
  const messages = error.fieldErrors.text ?? Object.values(error.fieldErrors).flat();
  $("quick-text").setAttribute("aria-invalid", "true");
  $("quick-preview").replaceChildren(el("p", { class: "error", id: "quick-error" }, messages.length ? messages.join(" ") : error.message));
  return true;
}

function clear() {
  $("quick-text").removeAttribute("aria-invalid");
  $("quick-preview").replaceChildren();
}
