// The Manage page: signs in, shows the Calendar and Contacts cards, and polls /api/me while things change.
// Entry module; loaded with <script type="module"> so a strict CSP (no inline script) holds.

import { Overview } from "./admin.js";
import { api, csrfToken, problem } from "./api.js";
import { buildCard, kindView, renderCard, setCardNotice } from "./card.js";
import { confirmAction, setUpConfirm } from "./dialogs.js";
import { LogPanel } from "./log.js";
import { editMapping, setUpMapping } from "./mapping.js";
import { Eta } from "./progress.js";
import { KINDS, clockText, previewText } from "./words.js";

const FAST_MS = 2000;
const SLOW_MS = 15000;
// After the user starts or stops a sync, poll fast for a while even before the server reports the change.
const AFTER_ACTION_MS = 30000;

const state = {
  cards: new Map(),
  logs: new Map(),
  eta: new Eta(),
  timer: null,
  fastUntil: 0,
  refreshing: null,
  signedIn: false,
  justConnectedMicrosoft: false,
  overview: null,
};

const byId = (id) => document.getElementById(id);

function showPageError(text) {
  const box = byId("page-error");
  box.textContent = text || "";
  box.hidden = !text;
}

function showSignIn() {
  state.signedIn = false;
  if (state.overview) state.overview.allow(false);
  byId("loading").hidden = true;
  byId("cards").hidden = true;
  byId("who").hidden = true;
  byId("signin").hidden = false;
}

function showHeader(me) {
  const user = me.user || {};
  const org = me.org || {};
  byId("who-name").textContent = user.name || user.email || "";
  byId("who-org").textContent = org.name || "";
  byId("sso-badge").hidden = !me.sso;
  state.overview.allow(Boolean(me.admin));
  byId("who").hidden = false;
  if (state.justConnectedMicrosoft && me.microsoft) {
    // Says which mailbox went to which Recruit user, so a consent completed by mistake is noticed at once.
    state.justConnectedMicrosoft = false;
    const info = byId("page-info");
    info.textContent =
      `Microsoft 365 mailbox ${me.microsoft.email} is now connected to ` +
      `Zoho Recruit user ${user.email || user.name || ""}. If that is not right, use Disconnect.`;
    info.hidden = false;
  }
}

function ensureCards() {
  if (state.cards.size) return;
  const container = byId("cards");
  for (const kind of Object.keys(KINDS)) {
    const card = buildCard(kind);
    container.append(card);
    state.cards.set(kind, card);
    state.logs.set(kind, new LogPanel(card, kind));
    card.querySelector(".action-enable").addEventListener("click", () => enable(kind));
    card.querySelector(".action-disable").addEventListener("click", () => disable(kind));
    card.querySelector(".action-edit-mapping").addEventListener("click", () => changeMapping());
    card.querySelector(".action-repair").addEventListener("click", () => repair(kind));
    card.querySelector(".action-failed").addEventListener("click", () => state.logs.get(kind).showFailures());
  }
}

function schedule(busy) {
  clearTimeout(state.timer);
  if (!state.signedIn) return;
  const fast = busy || Date.now() < state.fastUntil;
  state.timer = setTimeout(refresh, fast ? FAST_MS : SLOW_MS);
}

// The session cookie is HttpOnly, but the CSRF cookie is set and cleared with it: without one there is no
// session, and the page shows "Sign in" without asking /api/me (whose 401 would be a console error).
function forgetStaleSession() {
  document.cookie = "csrf=; Path=/api; Max-Age=0; SameSite=Lax";
}

async function fetchAndRender() {
  if (!csrfToken()) {
    clearTimeout(state.timer);
    showSignIn();
    return;
  }
  let answer;
  try {
    answer = await api.me();
  } catch {
    showPageError("The server did not answer. Retrying…");
    schedule(true);
    return;
  }
  if (answer.status === 401) {
    clearTimeout(state.timer);
    forgetStaleSession();
    showSignIn();
    return;
  }
  if (answer.status !== 200 || !answer.body) {
    byId("loading").hidden = true;
    showPageError(problem(answer, "load your sync settings"));
    schedule(false);
    return;
  }
  const me = answer.body;
  state.signedIn = true;
  showPageError("");
  byId("loading").hidden = true;
  byId("signin").hidden = true;
  showHeader(me);
  ensureCards();
  byId("cards").hidden = false;
  let busy = false;
  for (const [kind, card] of state.cards) {
    busy = renderCard(card, kind, kindView(me, kind), state.eta) || busy;
  }
  for (const panel of state.logs.values()) panel.refresh();
  state.overview.refresh();
  schedule(busy);
}

// One refresh at a time; a refresh asked for while one runs waits for it instead of overlapping.
function refresh() {
  if (!state.refreshing) {
    state.refreshing = fetchAndRender().finally(() => {
      state.refreshing = null;
    });
  }
  return state.refreshing;
}

function actionFailed(kind, answer, doing) {
  if (answer.status === 401) {
    showSignIn();
    return;
  }
  setCardNotice(state.cards.get(kind), "");
  showPageError(`${KINDS[kind].title}: ${problem(answer, doing)}`);
}

async function startSync(kind) {
  const card = state.cards.get(kind);
  const answer = await api.enable(kind);
  if (answer.body && typeof answer.body.redirect === "string" && answer.status < 300) {
    setCardNotice(card, "Taking you to Microsoft to sign in…");
    window.location.assign(answer.body.redirect);
    return;
  }
  if (answer.status >= 200 && answer.status < 300) {
    setCardNotice(card, "Sync is starting.", ["initial_sync", "active", "error"]);
    state.fastUntil = Date.now() + AFTER_ACTION_MS;
    await refresh();
    return;
  }
  actionFailed(kind, answer, "enable sync");
}

// What an Enable would copy and leave out ("" when the preview could not be had: enabling still works).
async function previewOf(kind) {
  try {
    const answer = await api.preview(kind);
    if (answer.status === 200 && answer.body) return previewText(kind, answer.body);
  } catch {
    // fall through: the preview is a courtesy
  }
  return "";
}

async function confirmEnable(kind) {
  const words = KINDS[kind];
  const button = state.cards.get(kind).querySelector(".action-enable");
  button.disabled = true;
  setCardNotice(state.cards.get(kind), `Counting your ${words.unit}…`);
  const preview = await previewOf(kind);
  setCardNotice(state.cards.get(kind), "");
  button.disabled = false;
  return confirmAction({
    title: `Enable ${words.title.toLowerCase()} sync?`,
    text: preview || `Your ${words.unit} will be copied to ${words.container} in Outlook.`,
    confirmLabel: `Enable ${words.title.toLowerCase()} sync`,
    tone: "primary",
  });
}

async function enable(kind) {
  showPageError("");
  if (kind === "calendar" && !(await confirmEnable(kind))) return;
  if (kind === "contacts") {
    const previewBox = byId("mapping-preview");
    previewBox.textContent = "Counting your contacts…";
    previewBox.hidden = false;
    previewOf(kind).then((text) => {
      previewBox.textContent = text;
      previewBox.hidden = !text;
    });
    const result = await editMapping("enable");
    previewBox.hidden = true;
    if (result.error) {
      showPageError(`Contacts: ${result.error}`);
      return;
    }
    if (!result.saved) return;
  }
  const button = state.cards.get(kind).querySelector(".action-enable");
  button.disabled = true;
  try {
    await startSync(kind);
  } catch {
    showPageError(`${KINDS[kind].title}: could not enable sync: the server did not answer.`);
  } finally {
    button.disabled = false;
  }
}

async function changeMapping() {
  showPageError("");
  const card = state.cards.get("contacts");
  const result = await editMapping("edit");
  if (result.error) {
    showPageError(`Contacts: ${result.error}`);
    return;
  }
  if (result.saved) {
    setCardNotice(card, "Mapping saved. Your contacts in Outlook will be updated to match it.", [
      "disabled",
      "error",
    ]);
    state.fastUntil = Date.now() + AFTER_ACTION_MS;
    await refresh();
  }
}

async function disable(kind) {
  showPageError("");
  const words = KINDS[kind];
  const confirmed = await confirmAction({
    title: `Disable ${words.title.toLowerCase()} sync?`,
    text: words.disableText,
    confirmLabel: `Disable ${words.title.toLowerCase()} sync`,
  });
  if (!confirmed) return;
  const answer = await api.disable(kind);
  if (answer.status >= 200 && answer.status < 300) {
    setCardNotice(state.cards.get(kind), "");
    state.fastUntil = Date.now() + AFTER_ACTION_MS;
    await refresh();
    return;
  }
  actionFailed(kind, answer, "disable sync");
}

async function repair(kind) {
  showPageError("");
  const card = state.cards.get(kind);
  const button = card.querySelector(".action-repair");
  if (button.getAttribute("aria-disabled") === "true") {
    card.querySelector(".repair-note").focus();
    return;
  }
  button.disabled = true;
  let answer;
  try {
    answer = await api.repair(kind);
  } catch {
    answer = { status: 0, body: null };
  } finally {
    button.disabled = false;
  }
  if (answer.status === 202) {
    setCardNotice(
      card,
      "Repair started: every item is being compared on both sides. The sync log will say what was fixed.",
      ["disabled", "error"],
    );
    state.fastUntil = Date.now() + AFTER_ACTION_MS;
    await refresh();
    return;
  }
  if (answer.status === 429) {
    const at = answer.body && answer.body.available_at;
    setCardNotice(card, at ? `Repair ran recently. It can be used again at ${clockText(at)}.` : "Repair ran recently.");
    await refresh();
    return;
  }
  actionFailed(kind, answer, "start a repair");
}

async function disconnectAll() {
  showPageError("");
  const confirmed = await confirmAction({
    title: "Disconnect this app?",
    text:
      "Calendar and contacts sync are turned off, the calendar and contact folder this app created are " +
      "deleted from Outlook, the app's access to Zoho is revoked, and every token it kept is deleted. " +
      "Your Recruit records are not changed. Microsoft keeps your consent listed until you remove it: " +
      "myapps.microsoft.com (work or school account) or \"Apps with access\" at account.microsoft.com " +
      "(personal account).",
    confirmLabel: "Disconnect",
  });
  if (!confirmed) return;
  const answer = await api.disconnect();
  if (answer.status >= 200 && answer.status < 300) {
    clearTimeout(state.timer);
    showSignIn();
    return;
  }
  showPageError(problem(answer, "disconnect"));
}

async function signOut() {
  try {
    await api.logout();
  } finally {
    clearTimeout(state.timer);
    showSignIn();
  }
}

// The OAuth callbacks come back here with ?error=<provider>_<code> when sign-in or consent did not finish.
const RETURNED_ERRORS = {
  access_denied: "you cancelled the sign-in or did not allow access.",
  consent_required: "your Microsoft 365 administrator has to allow this app first.",
  interaction_required: "Microsoft needs you to sign in again.",
  login_required: "Microsoft needs you to sign in again.",
  temporarily_unavailable: "the sign-in service is busy. Try again in a minute.",
  invalid_state: "the sign-in link expired or was already used. Start again.",
};

function showReturnedError() {
  const params = new URLSearchParams(window.location.search);
  const code = params.get("error");
  state.justConnectedMicrosoft = params.get("connected") === "microsoft";
  if (code) {
    const provider = code.startsWith("microsoft_") ? "Microsoft" : code.startsWith("zoho_") ? "Zoho" : "";
    const reason = RETURNED_ERRORS[code.replace(/^(microsoft|zoho)_/, "")] || "something went wrong. Try again.";
    showPageError(`${provider ? `${provider} sign-in` : "Sign-in"} did not finish: ${reason}`);
  }
  if (params.toString()) window.history.replaceState(null, "", window.location.pathname);
}

function start() {
  state.overview = new Overview(
    () => {
      clearTimeout(state.timer);
      showSignIn();
    },
    () => {
      state.fastUntil = Date.now() + AFTER_ACTION_MS;
      schedule(true);
    },
  );
  setUpConfirm();
  setUpMapping();
  byId("sign-out").addEventListener("click", signOut);
  byId("disconnect").addEventListener("click", disconnectAll);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.signedIn) refresh();
  });
  showReturnedError();
  refresh();
}

start();
