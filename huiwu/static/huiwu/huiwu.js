// Huiwu's own behaviour. It lives here, never in the pages, so that the Content-Security-Policy can forbid
// inline script and event handlers.

// A field marked data-autosubmit (the day pickers) sends its form as soon as a value is chosen.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// A button marked data-print (the service sheet) opens the browser's print dialog; the print stylesheet
// in huiwu.css decides what goes on paper.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A list marked data-keep-open (My tasks) is swapped whole by its poll and by its buttons. What the user
// opened stays open: the <details> open before the swap are opened again after it (by id). And a poll
// waits while a field in the list has focus or has been filled in, so that a half-written reason survives.
const isBeingFilledIn = (container) =>
  [...container.querySelectorAll("input:not([type=hidden]), textarea")].some((field) =>
    field === document.activeElement ||
    (field.type === "radio" || field.type === "checkbox" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue));

document.addEventListener("htmx:beforeRequest", (event) => {
  const element = event.detail.elt;
  if (element.matches("[data-keep-open]") && isBeingFilledIn(element)) {
    event.preventDefault();
  }
});

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (target.matches("[data-keep-open]")) {
    target.hwOpen = [...target.querySelectorAll("details[open][id]")].map((details) => details.id);
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  for (const id of target.hwOpen || []) {
    const details = document.getElementById(id);
    if (details && target.contains(details)) {
      details.open = true;
    }
  }
  target.hwOpen = undefined;
});

// --- Satisfaction surveys (huiwu/surveys) ---
// A button marked data-copy="<id>" (a new survey link to send by hand) copies that field's text and says so.
// The clipboard API needs HTTPS; an intranet on plain HTTP falls back to the older copy command, and where
// neither works the text stays selected for Ctrl-C.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copy);
  field.select();
  const done = () => { button.textContent = button.dataset.copied; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => {});
  } else if (document.execCommand("copy")) {
    done();
  }
});

// A field marked data-select-on-focus is selected whole when it gets the focus, ready to copy.
document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-on-focus]")) {
    event.target.select();
  }
});

// A score row of the survey that was sent back unanswered stops saying so once a score is chosen in it.
document.addEventListener("change", (event) => {
  const row = event.target.closest(".hw-score");
  if (row) {
    row.querySelectorAll(".invalid-feedback").forEach((message) => message.remove());
  }
});

// The seating plan's exchange form: a tapped seat shows as chosen; on a desktop, a seat dragged onto another
// chooses both and sends the form (the server checks the two seats as it does for taps).
document.addEventListener("change", (event) => {
  const pick = event.target.closest(".hw-seat-pick");
  if (pick) {
    pick.classList.toggle("active", event.target.checked);
  }
});

document.addEventListener("dragstart", (event) => {
  const pick = event.target.closest("[data-seat-swap] .hw-seat-pick");
  if (pick) {
    event.dataTransfer.setData("text/plain", pick.dataset.seat);
  }
});

document.addEventListener("dragover", (event) => {
  if (event.target.closest("[data-seat-swap] .hw-seat-pick")) {
    event.preventDefault();
  }
});

document.addEventListener("drop", (event) => {
  const target = event.target.closest("[data-seat-swap] .hw-seat-pick");
  const from = event.dataTransfer.getData("text/plain");
  if (!target || !from || from === target.dataset.seat) {
    return;
  }
  event.preventDefault();
  const form = target.closest("form");
  form.querySelectorAll("input[name=seat]").forEach((box) => {
    box.checked = box.value === from || box.value === target.dataset.seat;
  });
  form.requestSubmit();
});

// A seating chart wider than the phone opens on its centre, where rank 1 sits.
document.querySelectorAll(".hw-seating-chart").forEach((chart) => {
  chart.scrollLeft = (chart.scrollWidth - chart.clientWidth) / 2;
});
