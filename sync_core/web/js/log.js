// The sync log panel of a card: newest entries first, older pages on request through the API's `next`.

import { api, problem } from "./api.js";
import { countsText, whenText } from "./words.js";

const TYPE_WORDS = {
  pass: "Sync pass",
  failure: "Failed",
  unlink: "Unlinked",
  enable: "Enabled",
  disable: "Disabled",
  conflict: "Conflict",
  repair: "Repair",
  info: "Note",
};

function entriesOf(body) {
  if (Array.isArray(body)) return { entries: body, next: null };
  if (!body) return { entries: [], next: null };
  return { entries: body.entries || body.items || [], next: body.next || null };
}

function entryElement(entry) {
  const item = document.createElement("li");
  item.className = "log-entry";
  item.dataset.level = entry.level || "info";
  item.dataset.type = entry.type || "info";
  const head = document.createElement("div");
  head.className = "log-entry-head";
  const title = document.createElement("span");
  title.className = "log-entry-title";
  const typeWords = TYPE_WORDS[entry.type] || "Note";
  title.textContent = entry.title ? `${typeWords}: ${entry.title}` : typeWords;
  head.append(title);
  if (entry.at) {
    const when = whenText(entry.at);
    const time = document.createElement("time");
    time.dateTime = entry.at;
    time.title = when.title;
    time.textContent = when.text;
    head.append(time);
  }
  item.append(head);
  if (entry.message) {
    const message = document.createElement("p");
    message.textContent = entry.message;
    item.append(message);
  }
  const counts = countsText(entry.counts);
  if (counts) {
    const line = document.createElement("p");
    line.className = "log-entry-counts";
    line.textContent = counts;
    item.append(line);
  }
  return item;
}

export class LogPanel {
  constructor(card, kind) {
    this.card = card;
    this.kind = kind;
    this.next = null;
    this.pages = 0;
    this.toggle = card.querySelector(".action-log");
    this.section = card.querySelector(".log");
    this.list = card.querySelector(".log-list");
    this.more = card.querySelector(".log-more");
    this.filter = card.querySelector(".log-filter");
    // null: every entry; "failure": only the items that failed.
    this.type = null;
    this.toggle.addEventListener("click", () => (this.isOpen() ? this.close() : this.open()));
    this.more.addEventListener("click", () => this.load(false));
    card.querySelector(".log-show-all").addEventListener("click", () => this.open(null));
  }

  // Opens the log showing only failed items, and moves focus to it.
  async showFailures() {
    await this.open("failure");
    this.card.querySelector(".log-title").focus();
  }

  isOpen() {
    return !this.section.hidden;
  }

  async open(type = null) {
    this.type = type;
    this.filter.hidden = !type;
    this.section.hidden = false;
    this.toggle.setAttribute("aria-expanded", "true");
    this.toggle.textContent = "Hide sync log";
    await this.load(true);
  }

  close() {
    this.section.hidden = true;
    this.toggle.setAttribute("aria-expanded", "false");
    this.toggle.textContent = "Show sync log";
  }

  // Polling refreshes the newest page, unless the user is reading older ones.
  async refresh() {
    if (this.isOpen() && this.pages <= 1) await this.load(true);
  }

  async load(fromStart) {
    let answer;
    try {
      answer = await api.log(this.kind, fromStart ? null : this.next, this.type);
    } catch {
      answer = { status: 0, body: null };
    }
    const empty = this.card.querySelector(".log-empty");
    if (answer.status !== 200) {
      empty.textContent = problem(answer, "load the sync log");
      empty.hidden = false;
      return;
    }
    const page = entriesOf(answer.body);
    const items = page.entries.map(entryElement);
    if (fromStart) {
      this.list.replaceChildren(...items);
      this.pages = 1;
    } else {
      this.list.append(...items);
      this.pages += 1;
    }
    this.next = page.next;
    this.more.hidden = !this.next;
    empty.textContent = this.type ? "No failed items." : "Nothing has happened yet.";
    empty.hidden = this.list.children.length > 0;
  }
}
