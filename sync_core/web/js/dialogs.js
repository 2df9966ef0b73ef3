// Modal dialogs: focus kept inside while open, Esc closes, focus returns to the control that opened it.
// showModal() already makes the page behind inert; the trap also wraps Tab at the dialog's ends.

const FOCUSABLE = "button:not([disabled]), select:not([disabled]), input:not([disabled]), a[href], [tabindex='0']";

export function trapFocus(dialog) {
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((item) => !item.closest("[hidden]"));
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
}

// Opens `dialog` modally; resolves with its return value once closed (Esc gives "").
export function openModal(dialog, focusFirst) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
        resolve(dialog.returnValue);
      },
      { once: true },
    );
    dialog.returnValue = "";
    dialog.showModal();
    if (focusFirst) focusFirst.focus();
  });
}

const confirmDialog = () => document.getElementById("confirm-dialog");

export function setUpConfirm() {
  trapFocus(confirmDialog());
}

// Asks a yes/no question; true only when the user picks the confirming button, styled by `tone`
// ("danger" for what removes things, "primary" for what starts them).
export async function confirmAction({ title, text, confirmLabel, tone = "danger" }) {
  const dialog = confirmDialog();
  dialog.querySelector("#confirm-title").textContent = title;
  dialog.querySelector("#confirm-text").textContent = text;
  const ok = dialog.querySelector("#confirm-ok");
  ok.textContent = confirmLabel;
  ok.className = `button ${tone}`;
  const answer = await openModal(dialog, dialog.querySelector("#confirm-cancel"));
  return answer === "confirm";
}
