// Notification settings: which kinds show live, and quiet hours.

import { api } from "./api.js";
import { kindText } from "./bell.js";
import { $, announce, el, showError } from "./dom.js";
import { clearErrors, showFieldErrors } from "./forms.js";

export function wireSettings() {
  $("open-settings").addEventListener("click", openSettings);
  $("settings-form").addEventListener("submit", saveSettings);
  $("cancel-settings").addEventListener("click", () => $("settings").close());
}

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
