// One sync card (Calendar or Contacts): built from the template once, then updated from each /api/me answer.
// Rendering only; what the buttons do is wired by main.js.

import {
  BUSY,
  KINDS,
  STATUS_WORDS,
  clockText,
  countsText,
  durationText,
  explainError,
  syncCountsText,
  whenText,
} from "./words.js";

// The card's view of one kind in /api/me, tolerant of the optional parts being absent.
export function kindView(me, kind) {
  const state = (me && me[kind]) || {};
  const account =
    state.microsoft_account ||
    state.account ||
    (me.microsoft && (me.microsoft.email || me.microsoft.upn)) ||
    me.microsoft_account ||
    "";
  return {
    status: STATUS_WORDS[state.status] ? state.status : "disabled",
    progress: state.progress || null,
    counts: state.counts || state.counters || null,
    lastSync: state.last_sync || null,
    lastError: state.last_error || null,
    inSync: Number(state.in_sync) || 0,
    // `failed` may be missing (an older server): none failed, as far as the page knows.
    failed: Number(state.failed) || 0,
    repairAfter: state.repair_after || null,
    account: typeof account === "object" ? account.email || account.name || "" : account,
  };
}

export function buildCard(kind) {
  const template = document.getElementById("card-template");
  const card = template.content.firstElementChild.cloneNode(true);
  const words = KINDS[kind];
  card.id = `card-${kind}`;
  card.dataset.kind = kind;
  card.setAttribute("aria-labelledby", `card-${kind}-title`);
  const title = card.querySelector(".card-title");
  title.id = `card-${kind}-title`;
  title.textContent = words.title;
  card.querySelector(".what").textContent = words.what;
  card.querySelector(".progress-note").textContent = words.cap;
  card.querySelector(".action-enable").setAttribute("aria-label", `Enable ${words.title.toLowerCase()} sync`);
  card.querySelector(".action-disable").setAttribute("aria-label", `Disable ${words.title.toLowerCase()} sync`);
  card.querySelector(".action-repair").setAttribute("aria-label", `Repair ${words.title.toLowerCase()} sync now`);
  card.querySelector(".log").setAttribute("aria-labelledby", `card-${kind}-log-title`);
  card.querySelector(".log-title").id = `card-${kind}-log-title`;
  card.querySelector(".log-title").textContent = `${words.title} sync log`;
  card.querySelector(".action-log").setAttribute("aria-controls", `card-${kind}-log`);
  card.querySelector(".log").id = `card-${kind}-log`;
  card.querySelector(".action-edit-mapping").hidden = true;
  return card;
}

function showProgress(card, kind, view, eta) {
  const box = card.querySelector(".progress-box");
  const inProgress = view.status === "initial_sync" || view.status === "connecting";
  box.hidden = !inProgress;
  if (!inProgress) {
    eta.forget(kind);
    return;
  }
  const bar = card.querySelector(".progress-bar");
  const text = card.querySelector(".progress-text");
  const done = Number(view.progress && view.progress.done) || 0;
  const total = Number(view.progress && view.progress.total) || 0;
  if (view.status === "connecting" || total <= 0) {
    bar.removeAttribute("value");
    text.textContent =
      view.status === "connecting" ? "Connecting to Microsoft 365…" : `Counting ${KINDS[kind].unit}…`;
    return;
  }
  bar.max = total;
  bar.value = Math.min(done, total);
  const left = eta.observe(kind, done, total);
  const leftText = left === null ? "estimating time left" : `${durationText(left)} left`;
  text.textContent = `${done.toLocaleString()} / ${total.toLocaleString()} ${KINDS[kind].unit} · ${leftText}`;
}

export function renderCard(card, kind, view, eta) {
  card.dataset.status = view.status;
  const notice = card.querySelector(".card-notice");
  if ((notice.dataset.clearOn || "").split(" ").includes(view.status)) setCardNotice(card, "");
  card.querySelector(".status-text").textContent = STATUS_WORDS[view.status];
  card.querySelector(".fact-account").textContent = view.account || "Not connected";
  const lastSync = card.querySelector(".fact-last-sync");
  if (view.lastSync) {
    const when = whenText(view.lastSync);
    const time = document.createElement("time");
    time.dateTime = view.lastSync;
    time.title = when.title;
    time.textContent = when.text;
    lastSync.replaceChildren(time);
  } else {
    lastSync.textContent = "Never";
  }
  const syncRow = card.querySelector(".fact-sync-row");
  syncRow.hidden = view.status !== "active";
  card.querySelector(".fact-in-sync").textContent = syncCountsText(kind, view.inSync);
  card.querySelector(".fact-failed").hidden = view.failed <= 0;
  const failedButton = card.querySelector(".action-failed");
  failedButton.textContent = `${view.failed.toLocaleString()} failed`;
  failedButton.setAttribute("aria-label", `${view.failed.toLocaleString()} failed: show them in the sync log`);
  showRepair(card, view);
  const counts = countsText(view.counts);
  card.querySelector(".fact-counts-row").hidden = !counts;
  card.querySelector(".fact-counts").textContent = counts;

  showProgress(card, kind, view, eta);

  const explained = view.status === "active" ? null : explainError(kind, view.lastError);
  card.querySelector(".card-error").hidden = !explained;
  if (explained) {
    card.querySelector(".card-error-message").textContent = explained.message;
    card.querySelector(".card-error-action").textContent = explained.action;
  }

  const canEnable = view.status === "disabled" || view.status === "error";
  const running = view.status === "active" || view.status === "initial_sync" || view.status === "error";
  const enable = card.querySelector(".action-enable");
  enable.hidden = !canEnable;
  enable.textContent = view.status === "error" ? "Enable again" : "Enable";
  card.querySelector(".action-disable").hidden = !(running || view.status === "connecting");
  const configured = view.status !== "disabled" && view.status !== "disabling";
  card.querySelector(".action-edit-mapping").hidden = !(kind === "contacts" && configured);
  for (const button of card.querySelectorAll(".actions button:not(.action-log)")) {
    button.disabled = view.status === "disabling";
  }
  return BUSY.has(view.status);
}

// "Repair now" on an active card; while the last repair is under 10 minutes old, when it can be used again.
function showRepair(card, view) {
  const button = card.querySelector(".action-repair");
  const note = card.querySelector(".repair-note");
  button.hidden = view.status !== "active";
  const waiting = view.repairAfter && new Date(view.repairAfter).getTime() > Date.now();
  button.setAttribute("aria-disabled", waiting ? "true" : "false");
  note.hidden = !(view.status === "active" && waiting);
  note.textContent = waiting ? `Repair can be used again at ${clockText(view.repairAfter)}.` : "";
}

// A short note under the card's facts; it goes away once the card reaches one of `clearOn` statuses.
export function setCardNotice(card, text, clearOn = []) {
  const notice = card.querySelector(".card-notice");
  notice.textContent = text || "";
  notice.hidden = !text;
  notice.dataset.clearOn = clearOn.join(" ");
}
