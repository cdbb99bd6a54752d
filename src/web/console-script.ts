/**
 * The console's one script, served from `/assets/console.js` (CSP `script-src 'self'`: no inline
 * script anywhere). It sends forms marked `data-api` as JSON with the session's CSRF token in
 * `x-csrf-token`, and asks for a reason before revealing a token. Plain ES2020, no build step.
 */
export const CONSOLE_SCRIPT = `'use strict';
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
    body: JSON.stringify(body),
  });
  let json = null;
  try { json = await response.json(); } catch { json = null; }
  if (!response.ok) {
    const error = json && json.error ? json.error : { code: String(response.status), message: response.statusText };
    throw new Error(error.message + ' [' + error.code + ']');
  }
  return json;
}

function formBody(form) {
  const body = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (key === 'ids') (body.ids ??= []).push(String(value));
    else if (value !== '') body[key] = String(value);
  }
  return body;
}

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
  event.preventDefault();
  const output = form.querySelector('output');
  if (output) output.textContent = 'Working…';
  try {
    const result = await post(form.dataset.api, formBody(form));
    const failed = result && Array.isArray(result.results) ? result.results.filter((r) => r.ok === false) : [];
    if (failed.length > 0 && output) {
      output.textContent = failed.length + ' failed: ' + failed.map((r) => r.id + ' ' + (r.error ? r.error.message : '')).join('; ');
      return;
    }
    if (form.dataset.then) window.location.assign(form.dataset.then);
    else window.location.reload();
  } catch (error) {
    if (output) output.textContent = String(error.message ?? error);
  }
});

document.addEventListener('click', async (event) => {
  const button = event.target;
  if (!(button instanceof HTMLButtonElement) || !button.classList.contains('reveal')) return;
  const reason = window.prompt('Why do you need to see this value? The reveal is recorded in the audit log.');
  if (reason === null || reason.trim() === '') return;
  const d = button.dataset;
  const context = d.kind === 'event' ? { kind: 'event', source: d.source, id: d.id } : { kind: 'alert', id: d.id };
  try {
    const result = await post('/api/v1/reveal', { token: d.token, context, reason });
    const shown = document.createElement('span');
    shown.className = 'revealed';
    shown.textContent = result.value;
    shown.title = 'revealed; recorded in the audit log as ' + result.audit.id;
    button.replaceWith(shown);
  } catch (error) {
    const note = document.createElement('span');
    note.className = 'bad';
    note.setAttribute('role', 'alert');
    note.textContent = ' ' + String(error.message ?? error);
    button.after(note);
  }
});
`;
