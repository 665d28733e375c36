// Building the page and telling the person what happened. Every text a user typed reaches the DOM through text nodes
// (el() below, textContent), never as markup, so a title such as <img onerror=...> is shown, not run.

import { ApiError } from "./api.js";

export const $ = (id) => document.getElementById(id);

/** Builds an element; strings among the children become text nodes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function announce(text) {
  $("alerts").textContent = "";
  // A fresh text node in a live region is what screen readers announce; a background tab gets no animation frames.
  setTimeout(() => ($("alerts").textContent = text), 50);
}

export function toast(message, { tone = "info", timeout = 5000 } = {}) {
  const node = el("div", { class: `toast ${tone}`, role: tone === "error" ? "alert" : "status" },
    el("p", {}, message),
    el("button", { type: "button", class: "link", "aria-label": "Dismiss message", onclick: () => node.remove() }, "×"));
  $("toasts").append(node);
  if (timeout) setTimeout(() => node.remove(), timeout);
}

export function showError(error) {
  toast(error instanceof ApiError ? error.message : "Something went wrong. Please try again.", { tone: "error", timeout: 8000 });
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
