// Small enhancements for the admin's forms; every page works without them.
// - The schedule field's time zone defaults to the browser's, until the writer picks one.
// - Leaving the editor with unsaved changes asks first.
// - The preview follows the markdown as it is typed (rendered by the server, exactly as a save would).
// - Drafts autosave (form[data-autosave]): a second after typing stops, and at once when the tab is hidden or
//   closed; the status line says "saved", "saving…" or "not saved: retrying", and failures retry with backoff.
//   A save from a stale tab is refused by the version check (409): autosave stops and offers both versions.
// - While a post's newsletter goes out, its line in the editor reads the progress again every few seconds.
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

  const csrf = form.querySelector('input[name="_csrf"]');
  startPreview();
  startAutosave();
  followNewsletter();

  function followNewsletter() {
    const line = document.querySelector('[data-newsletter-poll]');
    if (!line) return;
    const refresh = document.querySelector('[data-newsletter-refresh]');
    const poll = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const response = await fetch(line.dataset.newsletterPoll, { credentials: 'same-origin' });
          if (response.ok) {
            const { state, running } = await response.json();
            if (state) line.textContent = state;
            if (!running) return refresh?.remove();
          }
        } catch {
          // Offline for a moment: the next read will tell.
        }
      }
      setTimeout(poll, 3000);
    };
    setTimeout(poll, 3000);
  }

  function startPreview() {
    const source = form.querySelector('[data-preview-source]');
    const target = document.querySelector('[data-preview-target]');
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
  }

  function startAutosave() {
    const status = document.querySelector('[data-autosave-status]');
    if (!form.dataset.autosave || !status || !csrf) return;
    const DEBOUNCE_MS = 1000;
    const MAX_BACKOFF_MS = 30000;
    // Browsers send at most 64 KB of keepalive bodies; a longer text is sent as an ordinary request.
    const KEEPALIVE_LIMIT = 60000;
    let timer;
    // The save on its way, if any: a form sent meanwhile waits for it (below).
    let inFlight = null;
    let pending = false;
    let stopped = false;
    let failures = 0;
    // Edits made since the last save that succeeded.
    let changed = false;

    const say = (text, isError) => {
      status.textContent = text;
      status.classList.toggle('error', Boolean(isError));
    };

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(save, delay);
    }

    function payload() {
      const body = new FormData(form);
      body.delete('file');
      body.delete('intent');
      return body;
    }

    // The server's answer for a new draft names its address: later saves edit it, and a reload finds it.
    function adopt(saved) {
      let version = form.querySelector('input[name="version"]');
      if (!version) {
        version = document.createElement('input');
        version.type = 'hidden';
        version.name = 'version';
        form.prepend(version);
      }
      version.value = String(saved.version);
      const label = document.querySelector('[data-version-label]');
      if (label) label.textContent = String(saved.version);
      if (form.dataset.autosave !== saved.autosave) {
        form.action = saved.action;
        form.dataset.autosave = saved.autosave;
        history.replaceState(null, '', saved.edit);
      }
    }

    async function save({ keepalive = false } = {}) {
      clearTimeout(timer);
      if (stopped || !changed) return;
      // A new draft is created by its first autosave, which needs a title to name it.
      const title = form.querySelector('input[name="title"]');
      if (!form.querySelector('input[name="version"]') && title && !title.value.trim()) return;
      if (inFlight) {
        pending = true;
        return;
      }
      let settle;
      inFlight = new Promise((resolve) => (settle = resolve));
      changed = false;
      say('saving…');
      const body = payload();
      let outcome;
      try {
        const size = [...body.values()].reduce((n, v) => n + (typeof v === 'string' ? v.length * 3 : 0), 0);
        const response = await fetch(form.dataset.autosave, {
          method: 'POST',
          body,
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
          keepalive: keepalive && size < KEEPALIVE_LIMIT,
        });
        const answer = await response.json().catch(() => ({}));
        outcome = { status: response.status, answer };
      } catch {
        outcome = { status: 0, answer: {} };
      }
      inFlight = null;
      settle();
      const { status: code, answer } = outcome;
      if (code === 200) {
        failures = 0;
        adopt(answer);
        if (!changed) dirty = false;
        say(`saved at ${new Date().toLocaleTimeString()}`);
      } else if (code === 409 && answer.conflict) {
        stopped = true;
        changed = true;
        conflict(answer);
        return;
      } else if (code >= 400 && code < 500 && code !== 408 && code !== 429) {
        // The text itself was refused (an empty title, say): retrying the same text would not help.
        changed = true;
        say(`not saved: ${answer.error || 'the server refused it'}`, true);
        return;
      } else {
        // Offline, a server error or a timeout: try again later, waiting longer each time.
        changed = true;
        failures += 1;
        const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
        say(`not saved: retrying in ${Math.round(wait / 1000)} s`, true);
        schedule(wait);
        return;
      }
      if (pending || changed) {
        pending = false;
        schedule(DEBOUNCE_MS);
      }
    }

    // Someone (or another tab) saved a newer version: keep the writer's text in the form, and let them compare.
    function conflict(answer) {
      say(`not saved: ${answer.error} `, true);
      const compare = document.createElement('button');
      compare.type = 'submit';
      compare.name = 'intent';
      compare.value = 'draft';
      compare.textContent = 'Compare both versions and choose';
      compare.setAttribute('form', form.id || (form.id = 'editor-form'));
      status.append(compare);
    }

    form.addEventListener('input', (event) => {
      if (event.target && event.target.type === 'file') return;
      changed = true;
      // While retrying, the backoff's timer sends the newest text.
      if (failures === 0) schedule(DEBOUNCE_MS);
    });
    form.addEventListener('submit', (event) => {
      clearTimeout(timer);
      stopped = true;
      // A form sent while an autosave is on its way would carry the version before it (a conflict with oneself), or
      // create the new post a second time: send it once the autosave has answered, to where it now belongs.
      if (inFlight) {
        event.preventDefault();
        const submitter = event.submitter;
        inFlight.then(() => form.requestSubmit(submitter));
      }
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') save({ keepalive: true });
    });
    window.addEventListener('pagehide', () => save({ keepalive: true }));
  }
})();
