/**
 * The browser side of the passkey ceremonies (WebAuthn Level 3 §5.1.3, §5.1.4), served as
 * `/assets/auth.js`: hand-written, no dependency, no inline script. It converts the server's JSON
 * options (base64url, as @simplewebauthn/server writes them) to the buffers
 * `navigator.credentials.create/get` take, and the credential back to JSON. The CSRF token, when a
 * session is open, is read from `<meta name="csrf-token">`.
 */
export const AUTH_SCRIPT = String.raw`// Vigil console: passkey sign-in and enrolment.
const enc = (buffer) => {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const dec = (value) => {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const text = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0)).buffer;
};
const status = (text) => {
  const place = document.getElementById('passkey-status');
  if (place) place.textContent = text;
};
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content');

async function post(url, body) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const token = csrf();
  if (token) headers['x-csrf-token'] = token;
  const answer = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body ?? {}), credentials: 'same-origin' });
  const json = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(json?.error?.message ?? 'the server refused (' + answer.status + ')');
  return json;
}

const creationOptions = (o) => ({
  ...o,
  challenge: dec(o.challenge),
  user: { ...o.user, id: dec(o.user.id) },
  excludeCredentials: (o.excludeCredentials ?? []).map((c) => ({ ...c, id: dec(c.id) })),
});
const requestOptions = (o) => ({
  ...o,
  challenge: dec(o.challenge),
  allowCredentials: (o.allowCredentials ?? []).map((c) => ({ ...c, id: dec(c.id) })),
});
const registrationJson = (c) => ({
  id: c.id,
  rawId: enc(c.rawId),
  type: c.type,
  response: {
    clientDataJSON: enc(c.response.clientDataJSON),
    attestationObject: enc(c.response.attestationObject),
    transports: typeof c.response.getTransports === 'function' ? c.response.getTransports() : [],
  },
  clientExtensionResults: c.getClientExtensionResults(),
  ...(c.authenticatorAttachment ? { authenticatorAttachment: c.authenticatorAttachment } : {}),
});
const authenticationJson = (c) => ({
  id: c.id,
  rawId: enc(c.rawId),
  type: c.type,
  response: {
    clientDataJSON: enc(c.response.clientDataJSON),
    authenticatorData: enc(c.response.authenticatorData),
    signature: enc(c.response.signature),
    ...(c.response.userHandle ? { userHandle: enc(c.response.userHandle) } : {}),
  },
  clientExtensionResults: c.getClientExtensionResults(),
  ...(c.authenticatorAttachment ? { authenticatorAttachment: c.authenticatorAttachment } : {}),
});

function supported() {
  if (window.PublicKeyCredential && navigator.credentials) return true;
  status('This browser cannot use passkeys here; use the code from your authenticator app.');
  return false;
}

async function signIn(button) {
  if (!supported()) return;
  button.disabled = true;
  try {
    status('Waiting for your passkey...');
    const options = await post('/sign-in/passkey/options');
    const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
    const done = await post('/sign-in/passkey', { response: authenticationJson(credential), next: button.dataset.next });
    status('Signed in.');
    window.location.assign(done.next);
  } catch (error) {
    status('Passkey sign-in failed: ' + (error?.message ?? error));
    button.disabled = false;
  }
}

async function enrol(button) {
  if (!supported()) return;
  button.disabled = true;
  const base = '/enrol/' + encodeURIComponent(button.dataset.token);
  try {
    status('Creating a passkey...');
    const options = await post(base + '/passkey/options');
    const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    const done = await post(base + '/passkey', { response: registrationJson(credential) });
    status('Passkey created; you are signed in.');
    const list = document.getElementById('recovery-codes');
    for (const code of done.recoveryCodes) {
      const item = document.createElement('li');
      const text = document.createElement('code');
      text.textContent = code;
      item.append(text);
      list.append(item);
    }
    document.getElementById('recovery-continue').setAttribute('href', done.next);
    document.getElementById('recovery').hidden = false;
  } catch (error) {
    status('Passkey enrolment failed: ' + (error?.message ?? error));
    button.disabled = false;
  }
}

document.getElementById('passkey-sign-in')?.addEventListener('click', (event) => signIn(event.currentTarget));
document.getElementById('passkey-enrol')?.addEventListener('click', (event) => enrol(event.currentTarget));
`;
