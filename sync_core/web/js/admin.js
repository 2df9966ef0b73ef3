// The organisation overview for Recruit administrators: every signed-in user's sync, the org's Recruit
// credits today, and "Disable for this user". Shown only when /api/me says the user is an administrator.

import { api, problem } from "./api.js";
import { confirmAction } from "./dialogs.js";
import { KINDS, STATUS_WORDS, countsText, explainError, whenText } from "./words.js";

const byId = (id) => document.getElementById(id);

function creditsText(credits) {
  if (!credits || !credits.counted) return "Recruit credits used today: not counted.";
  const used = Number(credits.used) || 0;
  const budget = Number(credits.budget) || 0;
  return budget
    ? `Recruit credits used today: ${used.toLocaleString()} of ${budget.toLocaleString()}.`
    : `Recruit credits used today: ${used.toLocaleString()}.`;
}

function fact(list, term, value) {
  const row = document.createElement("div");
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  row.append(dt, dd);
  list.append(row);
}

function whenElement(iso) {
  if (!iso) return "Never";
  const when = whenText(iso);
  const time = document.createElement("time");
  time.dateTime = iso;
  time.title = when.title;
  time.textContent = when.text;
  return time;
}

export class Overview {
  // `onSignedOut`: the session is gone; `onChanged`: a user's sync was changed, so poll fast for a while.
  constructor(onSignedOut, onChanged) {
    this.onSignedOut = onSignedOut;
    this.onChanged = onChanged;
    this.toggleButton = byId("overview-toggle");
    this.section = byId("overview");
    this.toggleButton.addEventListener("click", () => (this.isOpen() ? this.close() : this.open()));
  }

  isOpen() {
    return !this.section.hidden;
  }

  // Whether the signed-in user may see it (from /api/me): the button shows, or everything hides.
  allow(admin) {
    this.toggleButton.hidden = !admin;
    if (!admin) this.close();
  }

  async open() {
    this.section.hidden = false;
    this.toggleButton.setAttribute("aria-expanded", "true");
    await this.refresh();
    byId("overview-title").focus();
  }

  close() {
    this.section.hidden = true;
    this.toggleButton.setAttribute("aria-expanded", "false");
  }

  async refresh() {
    if (!this.isOpen()) return;
    let answer;
    try {
      answer = await api.overview();
    } catch {
      answer = { status: 0, body: null };
    }
    if (answer.status === 401) {
      this.onSignedOut();
      return;
    }
    const error = byId("overview-error");
    if (answer.status !== 200 || !answer.body) {
      error.textContent = problem(answer, "load the organisation overview");
      error.hidden = false;
      if (answer.status === 403) this.allow(false);
      return;
    }
    error.hidden = true;
    this.render(answer.body);
  }

  render(body) {
    byId("overview-org").textContent = (body.org && body.org.name) || "your organisation";
    byId("overview-credits").textContent = creditsText(body.credits);
    const items = (body.users || []).map((user) => this.userItem(user));
    byId("overview-users").replaceChildren(...items);
  }

  userItem(user) {
    const item = document.createElement("li");
    item.className = "overview-user";
    const name = document.createElement("h3");
    name.className = "overview-user-name";
    name.textContent = `${user.name || user.email || user.id}${user.you ? " (you)" : ""}`;
    const email = document.createElement("p");
    email.className = "overview-user-email";
    email.textContent = user.email || "";
    item.append(name, email);
    for (const kind of Object.keys(KINDS)) item.append(this.kindBlock(user, kind));
    return item;
  }

  kindBlock(user, kind) {
    const view = user[kind] || {};
    const block = document.createElement("div");
    block.className = "overview-kind";
    block.dataset.kind = kind;
    const facts = document.createElement("dl");
    facts.className = "facts";
    fact(facts, KINDS[kind].title, STATUS_WORDS[view.status] || STATUS_WORDS.disabled);
    fact(facts, "Last sync", whenElement(view.last_sync));
    const progress = view.progress || {};
    if (view.status === "initial_sync" && Number(progress.total) > 0) {
      fact(facts, "Initial sync", `${Number(progress.done) || 0} / ${Number(progress.total)} ${KINDS[kind].unit}`);
    }
    if (view.status === "active") fact(facts, "In sync", `${Number(view.in_sync) || 0} ${KINDS[kind].unit}`);
    const counts = countsText(view.counts);
    if (counts) fact(facts, "Changes so far", counts);
    const explained = explainError(kind, view.last_error);
    if (explained) fact(facts, "Last error", explained.message);
    block.append(facts);
    const running = ["active", "initial_sync", "error", "connecting"].includes(view.status);
    if (running) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button danger";
      button.textContent = `Disable ${KINDS[kind].title.toLowerCase()} sync`;
      button.setAttribute(
        "aria-label",
        `Disable ${KINDS[kind].title.toLowerCase()} sync for ${user.name || user.email || user.id}`,
      );
      button.addEventListener("click", () => this.disable(user, kind));
      block.append(button);
    }
    return block;
  }

  async disable(user, kind) {
    const words = KINDS[kind];
    const who = user.name || user.email || user.id;
    const confirmed = await confirmAction({
      title: `Disable ${words.title.toLowerCase()} sync for ${who}?`,
      text: words.disableText.replace("Your Recruit records", "Their Recruit records").replace(
        "from Outlook",
        `from ${who}'s Outlook`,
      ),
      confirmLabel: `Disable ${words.title.toLowerCase()} sync`,
    });
    if (!confirmed) return;
    const answer = await api.disableFor(user.id, kind);
    const error = byId("overview-error");
    if (answer.status >= 200 && answer.status < 300) {
      error.hidden = true;
      await this.refresh();
      this.onChanged();
      return;
    }
    error.textContent = problem(answer, `disable sync for ${who}`);
    error.hidden = false;
  }
}
