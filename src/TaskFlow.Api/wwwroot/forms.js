// Forms: each field's message from a ProblemDetails answer next to that field.

import { ApiError } from "./api.js";
import { showError } from "./dom.js";

export function clearErrors(form) {
  for (const p of form.querySelectorAll(".error")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Puts each message next to the field it names ("reminders[1]" goes to reminders, "due.dateTime" to due). */
export function showFieldErrors(form, error) {
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
