// The views of the list: All (the toolbar's filters as they are), Today, Upcoming (today and the six days after it,
// by day) and Overdue. The three dated views show open tasks only and sort by due date; the search, priority and tag
// filters apply to every view. The view lives in the URL's hash, so a reload or a shared link keeps it.

import { addDays, dayIn, dueDay } from "./time.js";

const UPCOMING_DAYS = 7;

export const VIEWS = {
  all: { heading: "Tasks", empty: "No open tasks. Everything is done." },
  today: { heading: "Today", empty: "Nothing due today. Enjoy the day!" },
  upcoming: { heading: "Upcoming", empty: "Nothing due in the next 7 days." },
  overdue: { heading: "Overdue", empty: "Nothing overdue. You are all caught up." },
};

/** The view the hash names; any other hash (the skip link's "#main") leaves the current one. */
export function viewFromHash(hash, current = "all") {
  const name = hash.replace(/^#/, "");
  if (name === "") return "all";
  return Object.hasOwn(VIEWS, name) ? name : current;
}

/**
 * What to ask the listing for, and which of its answers to keep. A day bound is the start of that day in the person's
 * zone; an all-day task is due at the end of its day, so the dated views ask one day further and keep each task by the
 * day it is due on.
 */
export function listingFor(view, filters, zone) {
  const { q, priority, tag } = filters;
  const today = dayIn(Date.now(), zone);
  const onDays = (last) => (task) => task.due && dueDay(task.due, zone) >= today && dueDay(task.due, zone) <= last;
  switch (view) {
    case "today":
      return { query: { q, priority, tag, status: "open", dueAfter: today, dueBefore: addDays(today, 2), sort: "due", limit: 100 }, keep: onDays(today) };
    case "upcoming": {
      const last = addDays(today, UPCOMING_DAYS - 1);
      return { query: { q, priority, tag, status: "open", dueAfter: today, dueBefore: addDays(last, 2), sort: "due", limit: 100 }, keep: onDays(last) };
    }
    case "overdue":
      return { query: { q, priority, tag, overdue: "true", sort: "due", limit: 100 }, keep: () => true };
    default:
      return { query: { ...filters, limit: 50 }, keep: () => true };
  }
}

/** Tasks grouped by the day they are due on, days in order, each day's tasks in the listing's order: [{ day, tasks }]. */
export function byDay(tasks, zone) {
  // An all-day task sorts by the end of its day, maybe after a task at midnight the next day: group by key, not by run.
  const groups = Map.groupBy(tasks, (task) => dueDay(task.due, zone));
  return [...groups.keys()].sort().map((day) => ({ day, tasks: groups.get(day) }));
}

/** Only the All view offers its own status, overdue and sort controls; the others fix them. */
export const usesOwnControls = (view) => view === "all";
