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
