// The TaskFlow page: signing in and out, and wiring its parts together. Each part has its own module: the list and
// its views (list.js, views.js), quick add (quickadd.js), the full editor (editor.js), the task panel (panel.js), the
// bell (bell.js) and notification settings (settings.js).

import { api, ApiError, session, SESSION_KEY, whenSignedOut } from "./api.js";
import { loadInboxHead, startLive, stopLive, wireBell } from "./bell.js";
import { $, announce, debounce, showError } from "./dom.js";
import { wireEditor } from "./editor.js";
import { clearErrors, showFieldErrors } from "./forms.js";
import { loadTasks, wireList } from "./list.js";
import { wirePanel } from "./panel.js";
import { wireQuickAdd } from "./quickadd.js";
import { wireSettings } from "./settings.js";
import { state } from "./state.js";
import { browserZone, fillZones } from "./time.js";

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
  await stopLive();
  state.profile = null;
  state.tasks = [];
  $("task-list").replaceChildren();
  $("tasks").hidden = true;
  $("session-bar").hidden = true;
  $("auth").hidden = false;
  showAuth("in");
  $("auth-email").focus();
}

function wire() {
  wireEditor();
  wireList();
  wireBell();
  wireSettings();
  wirePanel();
  wireQuickAdd(() => loadTasks());
  $("show-sign-in").addEventListener("click", () => showAuth("in"));
  $("show-sign-up").addEventListener("click", () => showAuth("up"));
  $("auth-form").addEventListener("submit", submitAuth);
  $("sign-out").addEventListener("click", () => leave());
  $("profile-zone").addEventListener("change", async (e) => {
    try {
      state.profile = await api.setZone(e.currentTarget.value);
      announce(`Times now shown in ${state.profile.timeZone}`);
      // The dated views' days are the person's days: a new zone can move a task to another one.
      await loadTasks();
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
