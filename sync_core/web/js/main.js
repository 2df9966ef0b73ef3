// The Manage page: signs in, shows the Calendar and Contacts cards, and polls /api/me while things change.
// Entry module; loaded with <script type="module"> so a strict CSP (no inline script) holds.

import { api, problem } from "./api.js";
import { buildCard, kindView, renderCard, setCardNotice } from "./card.js";
import { confirmAction, setUpConfirm } from "./dialogs.js";
import { LogPanel } from "./log.js";
import { editMapping, setUpMapping } from "./mapping.js";
import { Eta } from "./progress.js";
import { KINDS } from "./words.js";

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
};

const byId = (id) => document.getElementById(id);

function showPageError(text) {
  const box = byId("page-error");
  box.textContent = text || "";
  box.hidden = !text;
}

function showSignIn() {
  state.signedIn = false;
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
  }
}

function schedule(busy) {
  clearTimeout(state.timer);
  if (!state.signedIn) return;
  const fast = busy || Date.now() < state.fastUntil;
  state.timer = setTimeout(refresh, fast ? FAST_MS : SLOW_MS);
}

async function fetchAndRender() {
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

async function enable(kind) {
  showPageError("");
  if (kind === "contacts") {
    const result = await editMapping("enable");
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
