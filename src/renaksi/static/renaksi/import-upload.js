// The upload form says the file is being read while the request runs, and is not sent twice.
// Without JavaScript the form works the same; the browser's own indicator shows the wait.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.import-upload");
  if (!form) return;
  form.addEventListener("submit", () => {
    const status = form.querySelector(".import-upload__status");
    if (status) status.hidden = false;
    const button = form.querySelector("button[type=submit]");
    if (button) setTimeout(() => { button.disabled = true; }, 0);
  });
});
