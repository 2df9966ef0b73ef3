// The contact field mapping popup: rows of Microsoft field ⇄ Recruit field, edited and saved through the API.
// Errors from the API's 400 answer are shown at the row they name.

import { api, problem } from "./api.js";
import { openModal, trapFocus } from "./dialogs.js";

const dialog = () => document.getElementById("mapping-dialog");
const rowsList = () => document.getElementById("mapping-rows");
const formError = () => document.getElementById("mapping-error");

let catalog = { graph_fields: [], recruit_fields: [], default: [] };
let saving = null;

function option(value, label) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = label;
  return element;
}

function fillSelect(select, choices, chosen, placeholder) {
  select.replaceChildren(option("", placeholder));
  let found = chosen === "";
  for (const [value, label] of choices) {
    select.append(option(value, label));
    found = found || value === chosen;
  }
  // A saved value the catalog no longer offers stays visible, so saving surfaces the problem.
  if (!found) select.append(option(chosen, `${chosen} (not available)`));
  select.value = chosen;
}

function graphChoices() {
  return catalog.graph_fields.map((field) => [field.path, field.label || field.path]);
}

function recruitChoices() {
  return catalog.recruit_fields.map((field) => {
    const notes = [field.custom ? "custom" : "", field.read_only ? "read-only" : ""].filter(Boolean);
    const label = field.label || field.api_name;
    return [field.api_name, notes.length ? `${label} (${notes.join(", ")})` : label];
  });
}

function renumber() {
  [...rowsList().children].forEach((row, index) => {
    const number = index + 1;
    // The visible label says "Microsoft field"; the name adds the row so each control is told apart.
    row.querySelector(".row-graph").setAttribute("aria-label", `Microsoft field, row ${number}`);
    row.querySelector(".row-recruit").setAttribute("aria-label", `Recruit field, row ${number}`);
    row.querySelector(".row-remove").setAttribute("aria-label", `Remove row ${number}`);
    const error = row.querySelector(".row-error");
    error.id = `mapping-row-error-${number}`;
  });
}

function addRow(entry, focus) {
  const template = document.getElementById("mapping-row-template");
  const row = template.content.firstElementChild.cloneNode(true);
  fillSelect(row.querySelector(".row-graph"), graphChoices(), entry.graph || "", "Choose a Microsoft field");
  fillSelect(row.querySelector(".row-recruit"), recruitChoices(), entry.recruit || "", "Choose a Recruit field");
  row.querySelector(".row-remove").addEventListener("click", () => removeRow(row));
  rowsList().append(row);
  renumber();
  if (focus) row.querySelector(".row-graph").focus();
}

function removeRow(row) {
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  renumber();
  const target = next ? next.querySelector(".row-remove") : document.getElementById("mapping-add");
  target.focus();
}

function showRows(entries) {
  rowsList().replaceChildren();
  for (const entry of entries) addRow(entry, false);
}

function currentMapping() {
  return [...rowsList().children].map((row) => ({
    graph: row.querySelector(".row-graph").value,
    recruit: row.querySelector(".row-recruit").value,
  }));
}

function clearErrors() {
  formError().hidden = true;
  formError().textContent = "";
  for (const row of rowsList().children) {
    const error = row.querySelector(".row-error");
    error.hidden = true;
    error.textContent = "";
    for (const select of row.querySelectorAll("select")) {
      select.removeAttribute("aria-invalid");
      select.removeAttribute("aria-describedby");
    }
  }
}

function showErrors(errors) {
  const general = [];
  let firstInvalid = null;
  for (const error of errors) {
    const row = Number.isInteger(error.index) ? rowsList().children[error.index] : null;
    if (!row) {
      general.push(error.message);
      continue;
    }
    const text = row.querySelector(".row-error");
    text.textContent = text.textContent ? `${text.textContent} ${error.message}` : error.message;
    text.hidden = false;
    const selects =
      error.field === "graph"
        ? [row.querySelector(".row-graph")]
        : error.field === "recruit"
          ? [row.querySelector(".row-recruit")]
          : [...row.querySelectorAll("select")];
    for (const select of selects) {
      select.setAttribute("aria-invalid", "true");
      select.setAttribute("aria-describedby", text.id);
      firstInvalid = firstInvalid || select;
    }
  }
  if (general.length) {
    formError().textContent = general.join(" ");
    formError().hidden = false;
  }
  if (firstInvalid) firstInvalid.focus();
}

async function save(event) {
  event.preventDefault();
  if (!saving) return;
  clearErrors();
  const button = document.getElementById("mapping-save");
  button.disabled = true;
  try {
    const answer = await api.saveMapping(currentMapping());
    if (answer.status >= 200 && answer.status < 300) {
      const done = saving;
      saving = null;
      dialog().returnValue = "saved";
      dialog().close("saved");
      done(true);
    } else if (answer.status === 400 && answer.body && Array.isArray(answer.body.errors)) {
      showErrors(answer.body.errors);
    } else {
      showErrors([{ index: null, message: problem(answer, "save the mapping") }]);
    }
  } catch {
    showErrors([{ index: null, message: "Could not save the mapping: the server did not answer." }]);
  } finally {
    button.disabled = false;
  }
}

export function setUpMapping() {
  const element = dialog();
  trapFocus(element);
  document.getElementById("mapping-form").addEventListener("submit", save);
  document.getElementById("mapping-add").addEventListener("click", () => addRow({}, true));
  document.getElementById("mapping-reset").addEventListener("click", () => {
    clearErrors();
    showRows(catalog.default || []);
    document.getElementById("mapping-reset").focus();
  });
  document.getElementById("mapping-cancel").addEventListener("click", () => element.close("cancel"));
}

// Loads the mapping and opens the popup; resolves true once saved, false when closed without saving.
// `mode` "enable" labels Save as the start of sync; "edit" as a change to a running one.
export async function editMapping(mode) {
  const answer = await api.mapping();
  if (answer.status !== 200 || !answer.body) return { saved: false, error: problem(answer, "load the mapping") };
  catalog = answer.body;
  clearErrors();
  showRows(catalog.mapping && catalog.mapping.length ? catalog.mapping : catalog.default || []);
  document.getElementById("mapping-save").textContent = mode === "enable" ? "Save and enable" : "Save";
  const savedPromise = new Promise((resolve) => {
    saving = resolve;
  });
  const element = dialog();
  const first = rowsList().querySelector("select") || document.getElementById("mapping-add");
  const closed = openModal(element, first).then(() => {
    if (saving) {
      saving(false);
      saving = null;
    }
  });
  const saved = await savedPromise;
  await closed;
  return { saved, error: null };
}
