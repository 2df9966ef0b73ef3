// What the page says: status names, what each kind syncs, errors in plain language, times and counts.
// Pure functions of API values, so the wording lives in one place.

export const KINDS = {
  calendar: {
    title: "Calendar",
    what: "Recruit Events and Interviews you own ⇄ the 'Zoho Recruit' calendar in Outlook",
    cap: "At most 5,000 events are copied at first: upcoming ones first (soonest first), then recently ended ones.",
    unit: "events",
    container: "the 'Zoho Recruit' calendar",
    disableText:
      "The 'Zoho Recruit' calendar and the events in it will be deleted from Outlook. " +
      "Your Recruit records stay as they are.",
  },
  contacts: {
    title: "Contacts",
    what: "Recruit Contacts you own ⇄ the 'Zoho Recruit Contacts' folder in Outlook",
    cap: "At most 10,000 contacts are copied at first.",
    unit: "contacts",
    container: "the 'Zoho Recruit Contacts' folder",
    disableText:
      "The 'Zoho Recruit Contacts' folder and the contacts in it will be deleted from Outlook. " +
      "Your Recruit records stay as they are.",
  },
};

export const STATUS_WORDS = {
  disabled: "Disabled",
  connecting: "Connecting",
  initial_sync: "Initial sync",
  active: "Active",
  error: "Error",
  disabling: "Disabling",
};

// Statuses during which the page polls quickly because something is about to change.
export const BUSY = new Set(["connecting", "initial_sync", "disabling"]);

const ERROR_ADVICE = [
  {
    codes: ["container_deleted", "calendar_deleted", "folder_deleted"],
    say: (kind) => `${capitalise(KINDS[kind].container)} was deleted in Outlook, so sync was turned off.`,
    todo: "Enable to start again.",
  },
  {
    codes: ["consent_revoked", "microsoft_auth", "microsoft_consent", "invalid_grant", "graph_auth"],
    say: () => "Microsoft 365 no longer accepts this app's access to your mailbox.",
    todo: "Enable again and sign in with Microsoft to reconnect.",
  },
  {
    codes: ["recruit_auth", "recruit_token", "zoho_auth"],
    say: () => "Zoho Recruit no longer accepts this app's access to your account.",
    todo: "Sign out, sign in with Zoho again, then enable.",
  },
  {
    codes: ["not_connected"],
    say: () => "Your Microsoft 365 account is not fully connected.",
    todo: "Enable again and sign in with Microsoft.",
  },
  {
    codes: ["outlook_unreachable"],
    say: (kind) => `Outlook could not be reached while turning sync off, so ${KINDS[kind].container} may still be there.`,
    todo: "You can delete it in Outlook yourself, or enable and disable again later.",
  },
  {
    codes: ["throttled", "rate_limited"],
    say: () => "Microsoft 365 or Zoho Recruit asked us to slow down.",
    todo: "Nothing to do: sync carries on by itself in a few minutes.",
  },
  {
    codes: ["mailbox_unavailable", "mailbox_not_found"],
    say: () => "Your Microsoft 365 mailbox could not be reached.",
    todo: "Check that your account has an Exchange Online mailbox, then enable again.",
  },
];

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// {message, action} for a card's last error, or null when there is none.
export function explainError(kind, lastError) {
  if (!lastError) return null;
  const code = typeof lastError === "object" ? lastError.code || "" : "";
  const message = typeof lastError === "object" ? lastError.message || "" : String(lastError);
  if (!code && !message) return null;
  const known = ERROR_ADVICE.find((advice) => advice.codes.includes(code));
  if (known) return { message: known.say(kind), action: known.todo };
  return {
    message: message || "Sync stopped because of an unexpected problem.",
    action: "Sync retries by itself. If this stays, disable and enable sync again.",
  };
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function whenText(isoText, now = Date.now()) {
  const at = new Date(isoText);
  if (Number.isNaN(at.getTime())) return { text: "", title: "" };
  const seconds = Math.round((at.getTime() - now) / 1000);
  const steps = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [7, "day"],
  ];
  let amount = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(amount) < size) {
      const text = unit === "second" && Math.abs(amount) < 10 ? "just now" : relative.format(amount, unit);
      return { text, title: absolute.format(at) };
    }
    amount = Math.round(amount / size);
  }
  return { text: absolute.format(at), title: absolute.format(at) };
}

// Counts a person cares about, in their words; the engine's internal counters are left out.
const COUNT_WORDS = {
  graph_created: "created in Outlook",
  graph_updated: "updated in Outlook",
  graph_deleted: "deleted in Outlook",
  recruit_created: "created in Recruit",
  recruit_updated: "updated in Recruit",
  recruit_deleted: "deleted in Recruit",
  unlinked: "unlinked",
  conflicts: "conflicts resolved",
  failed: "failed",
};

export function countsText(counts) {
  if (!counts || typeof counts !== "object") return "";
  return Object.entries(COUNT_WORDS)
    .filter(([key]) => typeof counts[key] === "number" && counts[key] > 0)
    .map(([key, words]) => `${counts[key].toLocaleString()} ${words}`)
    .join(" · ");
}

export function durationText(seconds) {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 6) / 10;
  return `about ${hours} hour${hours === 1 ? "" : "s"}`;
}

// What an Enable would do, from GET /api/sync/{kind}/preview, in a few sentences.
const LEFT_OUT_WORDS = {
  imported: "came in by import or data migration",
  not_owned: "belong to someone else",
  over_cap: "are over the first-copy limit",
  ended_too_long_ago: "ended too long ago",
};

export function previewText(kind, preview) {
  const unit = KINDS[kind].unit;
  const copied = Number(preview.copied) || 0;
  const sentences = [
    copied
      ? `${copied.toLocaleString()} ${unit} will be copied to Outlook${kind === "calendar" ? " (upcoming ones first, then recently ended ones)" : ""}.`
      : `No ${unit} will be copied to Outlook now; new ones will sync as you make them.`,
  ];
  const left = Object.entries(LEFT_OUT_WORDS)
    .filter(([reason]) => Number((preview.left_out || {})[reason]) > 0)
    .map(([reason, words]) => `${Number(preview.left_out[reason]).toLocaleString()} ${words}`);
  if (left.length) sentences.push(`Left out: ${left.join("; ")}.`);
  if (copied) sentences.push(`It should take ${durationText(Number(preview.estimate_seconds) || 0)}.`);
  return sentences.join(" ");
}

// "in sync" and "failed" for a card: {inSync, failed} as the page shows them.
export function syncCountsText(kind, inSync) {
  const count = Number(inSync) || 0;
  return `${count.toLocaleString()} ${count === 1 ? KINDS[kind].unit.replace(/s$/, "") : KINDS[kind].unit}`;
}

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

export function clockText(isoText) {
  const at = new Date(isoText);
  return Number.isNaN(at.getTime()) ? "" : clock.format(at);
}
