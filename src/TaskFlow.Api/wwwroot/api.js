// The REST API as the page uses it. Every failure becomes an ApiError carrying the ProblemDetails body, so forms
// can put each field's message next to that field.

export const SESSION_KEY = "taskflow.session";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Field name → messages, as ASP.NET Core's ValidationProblem names them ("title", "reminders[0]"). */
  get fieldErrors() {
    return this.problem.errors ?? {};
  }
}

export const session = {
  // localStorage: every tab of this browser shares one sign-in, as people expect of a web app.
  get() {
    try {
      const saved = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null");
      return saved && Date.parse(saved.expiresAt) > Date.now() + 30_000 ? saved : null;
    } catch {
      return null;
    }
  },
  set(token, email) {
    localStorage.setItem(SESSION_KEY, JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt, email }));
  },
  clear() {
    localStorage.removeItem(SESSION_KEY);
  },
  token() {
    return this.get()?.accessToken ?? null;
  },
};

const CLIENT_KEY = "taskflow.client";

/**
 * This tab's id, sent with every request as X-TaskFlow-Client: the server tags the notifications a request causes with
 * it, so this tab's bell leaves out what the person here just did while other tabs and devices count it. sessionStorage
 * keeps it across a reload of the tab and gives a new tab (or a duplicated one) its own.
 */
export const clientId = (() => {
  let id = sessionStorage.getItem(CLIENT_KEY);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(CLIENT_KEY, id);
  }
  return id;
})();

let onUnauthorized = () => {};
export function whenSignedOut(handler) {
  onUnauthorized = handler;
}

export async function call(method, path, { body, ifMatch, query, signal } = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const headers = { Accept: "application/json", "X-TaskFlow-Client": clientId };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (ifMatch !== undefined) headers["If-Match"] = `"${ifMatch}"`;

  let response;
  try {
    response = await fetch(url, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, { title: "The server cannot be reached. Check your connection and try again." });
  }
  if (response.status === 401 && token) onUnauthorized();
  if (response.status === 204) return null;
  const text = await response.text();
  const payload = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

export const api = {
  register: (email, password, timeZone) => call("POST", "/accounts/register", { body: { email, password, timeZone } }),
  login: (email, password) => call("POST", "/accounts/login", { body: { email, password } }),
  profile: () => call("GET", "/accounts/me"),
  setZone: (timeZone) => call("PUT", "/accounts/me", { body: { timeZone } }),

  listTasks: (query) => call("GET", "/tasks", { query }),
  getTask: (id) => call("GET", `/tasks/${id}`),
  createTask: (task) => call("POST", "/tasks", { body: task }),
  updateTask: (id, version, task) => call("PUT", `/tasks/${id}`, { body: task, ifMatch: version }),
  complete: (id, version) => call("POST", `/tasks/${id}/complete`, { ifMatch: version }),
  reopen: (id, version) => call("POST", `/tasks/${id}/reopen`, { ifMatch: version }),
  deleteTask: (id, version) => call("DELETE", `/tasks/${id}`, { ifMatch: version }),
  quickAdd: (text) => call("POST", "/tasks/quick", { body: { text } }),
  quickPreview: (text, signal) => call("POST", "/tasks/quick", { body: { text }, query: { dryRun: "true" }, signal }),
  history: (id) => call("GET", `/tasks/${id}/history`, { query: { limit: 200 } }),
  occurrences: (id, count) => call("GET", `/tasks/${id}/occurrences`, { query: { count } }),
  snooze: (taskId, reminderId, minutes) => call("POST", `/tasks/${taskId}/reminders/${reminderId}/snooze`, { body: { minutes } }),

  inbox: (query) => call("GET", "/notifications", { query }),
  markRead: (id) => call("POST", `/notifications/${id}/read`),
  markAllRead: () => call("POST", "/notifications/read-all"),
  preferences: () => call("GET", "/notifications/preferences"),
  savePreferences: (preferences) => call("PUT", "/notifications/preferences", { body: preferences }),
};
