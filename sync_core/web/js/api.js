// The product API as the page uses it: same-origin JSON calls carrying the CSRF cookie's value on writes.
// Every call resolves to {status, body, headers}; only a network failure rejects.

const CSRF_COOKIE = "csrf";

export function csrfToken() {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return "";
}

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    cache: "no-store",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed = null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const api = {
  me: () => call("GET", "/api/me"),
  logout: () => call("POST", "/api/auth/logout"),
  disconnect: () => call("POST", "/api/auth/disconnect"),
  enable: (kind) => call("POST", `/api/sync/${kind}/enable`),
  disable: (kind) => call("POST", `/api/sync/${kind}/disable`),
  // `before` is the `next` cursor of the previous page; `type` keeps one type of entry (e.g. "failure").
  log: (kind, before, type) => {
    const query = new URLSearchParams();
    if (before) query.set("before", before);
    if (type) query.set("type", type);
    const text = query.toString();
    return call("GET", `/api/sync/${kind}/log${text ? `?${text}` : ""}`);
  },
  preview: (kind) => call("GET", `/api/sync/${kind}/preview`),
  repair: (kind) => call("POST", `/api/sync/${kind}/repair`),
  overview: () => call("GET", "/api/admin/overview"),
  disableFor: (userId, kind) =>
    call("POST", `/api/admin/users/${encodeURIComponent(userId)}/sync/${kind}/disable`),
  mapping: () => call("GET", "/api/sync/contacts/mapping"),
  saveMapping: (mapping) => call("PUT", "/api/sync/contacts/mapping", { mapping }),
};

// A sentence for an answer the page did not expect, taken from the body when it says something useful.
export function problem(answer, doing) {
  const body = answer.body || {};
  // Our API answers errors as {"error": {"code", "message"}}; the message is written for people.
  const said = (body.error && body.error.message) || body.message || body.error;
  if (typeof said === "string" && said) return `Could not ${doing}: ${said}`;
  if (answer.status === 0) return `Could not ${doing}: the server did not answer. Check your connection.`;
  return `Could not ${doing} (the server answered ${answer.status}). Try again in a moment.`;
}
