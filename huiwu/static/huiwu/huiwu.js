// Huiwu's own behaviour. It lives here, never in the pages, so that the Content-Security-Policy can forbid
// inline script and event handlers.

// A field marked data-autosubmit (the day pickers) sends its form as soon as a value is chosen.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});
