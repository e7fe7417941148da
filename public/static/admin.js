// Small enhancements for the admin's forms; every page works without them.
// - The schedule field's time zone defaults to the browser's, until the writer picks one.
// - Leaving the editor with unsaved changes asks first.
// - The preview follows the markdown as it is typed (rendered by the server, exactly as a save would).
(function () {
  const form = document.querySelector('form[data-unsaved-warning]');
  if (!form) return;

  const zone = form.querySelector('select[data-local-zone]');
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && zone.value === 'UTC' && browserZone && zone.querySelector(`option[value="${browserZone}"]`)) {
    zone.value = browserZone;
  }

  let dirty = false;
  form.addEventListener('input', () => (dirty = true));
  form.addEventListener('submit', () => (dirty = false));
  window.addEventListener('beforeunload', (event) => {
    if (dirty) event.preventDefault();
  });

  const source = form.querySelector('[data-preview-source]');
  const target = document.querySelector('[data-preview-target]');
  const csrf = form.querySelector('input[name="_csrf"]');
  if (!source || !target || !csrf) return;
  let timer;
  // A preview due after the form is sent would be cut off by the next page.
  form.addEventListener('submit', () => clearTimeout(timer));
  source.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const body = new FormData();
      body.set('_csrf', csrf.value);
      body.set('markdown', source.value);
      const response = await fetch('/admin/preview', { method: 'POST', body, credentials: 'same-origin' });
      if (response.ok) target.innerHTML = await response.text();
    }, 400);
  });
})();
