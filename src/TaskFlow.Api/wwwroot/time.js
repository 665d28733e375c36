// Time zones, dates and durations as the page shows them: always in the signed-in person's zone, which may not be the
// browser's.

import { el } from "./dom.js";

export const zones = (() => {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return all.includes("UTC") ? all : ["UTC", ...all];
})();
export const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function fillZones(select, selected) {
  const list = zones.includes(selected) ? zones : [selected, ...zones];
  select.replaceChildren(...list.map((z) => el("option", { value: z, selected: z === selected }, z.replaceAll("_", " "))));
}

export function formatInstant(iso, zone, withTime = true) {
  const options = withTime ? { dateStyle: "medium", timeStyle: "short", timeZone: zone } : { dateStyle: "medium", timeZone: zone };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
}

/** A due date (DueResponse) for a person in <zone>: their wall time, and the task's own when its zone differs. */
export function formatDue(due, zone) {
  if (due.allDay) return formatCalendarDate(due.date);
  const here = formatInstant(due.at, zone);
  if (due.timeZone === zone) return here;
  const there = new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone: due.timeZone }).format(new Date(due.at));
  return `${here} (${there} in ${due.timeZone.replaceAll("_", " ")})`;
}

export const describeDue = (due, zone) => `Due ${formatDue(due, zone)}`;

export function describeOffset(iso) {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return iso;
  const parts = [];
  const names = [["week", m[1]], ["day", m[2]], ["hour", m[3]], ["minute", m[4]], ["second", m[5]]];
  for (const [name, value] of names) if (value && Number(value) > 0) parts.push(`${value} ${name}${Number(value) === 1 ? "" : "s"}`);
  return parts.length ? parts.join(" ") : "at due time";
}

// Calendar days travel as "2026-12-07": the API takes them as listing bounds (the start of that day in the person's
// zone), and they compare and sort as text.

/** The calendar day <instant> falls on in <zone>. */
export function dayIn(instant, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(instant));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

export function addDays(day, days) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The day a task is due on for a person in <zone>: an all-day task's own date, else the day its instant falls on there. */
export const dueDay = (due, zone) => (due.allDay ? due.date : dayIn(due.at, zone));

function formatCalendarDate(day, options = { dateStyle: "medium" }) {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
}

/** "Today · Monday, December 7", "Tomorrow · …", then the weekday and date alone. */
export function dayHeading(day, today) {
  const date = formatCalendarDate(day, { weekday: "long", month: "long", day: "numeric" });
  if (day === today) return `Today · ${date}`;
  if (day === addDays(today, 1)) return `Tomorrow · ${date}`;
  return date;
}
