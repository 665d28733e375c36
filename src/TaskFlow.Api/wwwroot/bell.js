// Notifications: the bell, the inbox and reminder toasts. The bell counts what the person here did not just do: the
// server tags each notification with the tab whose request caused it (origin), and this tab's own changes update its
// list but are no news to its bell. Other tabs and devices count them, so nothing is marked read on their behalf.

import { api, clientId } from "./api.js";
import { $, announce, el, showError } from "./dom.js";
import { LiveFeed } from "./live.js";
import { reloadSoon } from "./list.js";
import { panelTaskChanged } from "./panel.js";
import { state, userZone } from "./state.js";
import { describeDue, formatInstant } from "./time.js";

export const kindText = {
  "task.created": "Created",
  "task.updated": "Changed",
  "task.completed": "Completed",
  "task.reopened": "Reopened",
  "task.deleted": "Deleted",
  "reminder.triggered": "Reminder",
  "occurrence.created": "Next occurrence",
};

/** Unread and not caused by this tab: what the bell counts. */
const news = (n) => !n.read && n.origin !== clientId;

export function wireBell() {
  $("bell").addEventListener("click", toggleInbox);
  $("read-all").addEventListener("click", markAllRead);
  $("inbox").addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      toggleInbox();
      $("bell").focus();
    }
  });
}

function setUnread(count) {
  state.unread = Math.max(0, count);
  const badge = $("unread");
  badge.textContent = state.unread > 99 ? "99+" : String(state.unread);
  badge.hidden = state.unread === 0;
  $("bell").setAttribute("aria-label", `Notifications, ${state.unread} unread`);
}

/** Sets the bell from the inbox and returns the newest id it holds, where live delivery starts. */
export async function loadInboxHead() {
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

// Another tab may have read some meanwhile: the inbox's count (which leaves out this tab's own) is the truth.
let unreadTimer = 0;
function refreshUnreadSoon() {
  clearTimeout(unreadTimer);
  unreadTimer = setTimeout(() => api.inbox({ limit: 1 }).then((page) => setUnread(page.unreadCount)).catch(() => {}), 500);
}

export async function startLive(newest) {
  await state.feed?.stop();
  state.feed = new LiveFeed(onNotification, setConnection);
  await state.feed.start(newest);
}

export async function stopLive() {
  await state.feed?.stop();
  state.feed = null;
  $("inbox-list").replaceChildren();
}

const connectionText = { connecting: "Connecting…", online: "Live", reconnecting: "Reconnecting…", offline: "Offline" };
function setConnection(s) {
  const node = $("connection");
  node.dataset.state = s;
  node.textContent = connectionText[s];
  node.title = s === "online" ? "Changes from other tabs and devices appear as they happen." : "Changes will appear when the connection is back.";
}

function onNotification(n, live) {
  const own = n.origin === clientId;
  panelTaskChanged(n.taskId);
  if (n.kind === "reminder.triggered") {
    showReminder(n);
  } else if (!n.read) {
    const shown = state.tasks.find((t) => t.id === n.taskId);
    if (!(shown && n.version !== null && shown.version >= n.version)) reloadSoon();
  }
  if (news(n)) {
    setUnread(state.unread + 1);
    refreshUnreadSoon();
  }
  if (!$("inbox").hidden) prependInbox(n);
  // The person here made the change and was told so when it was made.
  if (live && !own && n.kind !== "reminder.triggered") announce(`${kindText[n.kind] ?? "Changed"}: ${n.title}`);
}

function showReminder(n) {
  const task = state.tasks.find((t) => t.id === n.taskId);
  const when = task?.due ? describeDue(task.due, userZone()) : "";
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
  const counted = news(n);
  await api.markRead(n.id);
  n.read = true;
  if (counted) setUnread(state.unread - 1);
  document.querySelector(`#inbox-list [data-id="${n.id}"]`)?.classList.remove("unread");
}

function inboxItem(n) {
  // This tab's own changes are listed (the inbox is the whole story) but not as news.
  const unread = news(n);
  return el("li", { class: unread ? "unread" : "", dataset: { id: String(n.id) } },
    el("button", { type: "button", class: "inbox-entry", onclick: () => markRead(n).catch(showError) },
      el("span", { class: "kind" }, kindText[n.kind] ?? n.kind),
      el("span", { class: "inbox-title" }, n.title),
      el("time", { datetime: n.occurredAt, class: "muted" }, formatInstant(n.occurredAt, userZone())),
      unread ? el("span", { class: "visually-hidden" }, " (unread)") : null));
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
