/*
 * OpenChat accounts: sign up, sign in, sign out and the picture, beside the
 * chat (chat.js). The server keeps the sign-in in an HttpOnly cookie, so
 * this file never sees it: it asks GET /account who is signed in, and gets
 * the antiforgery token that every account request carries in the
 * RequestVerificationToken header.
 *
 * After signing in, up or out the page reloads, so that the Socket.IO
 * connection opens again as the new user (a connection belongs to the user
 * who opened it), and tells the page's other tabs to do the same.
 *
 * As in chat.js, user text goes into the DOM through textContent only.
 */
(function () {
  'use strict';

  const { makeAvatar, asText } = window.OpenChatTimeline;

  // Written when the user changes here; other tabs reload when they see it.
  const CHANGED_KEY = 'openchat:account-changed';
  // Set before a reload that should land on the sign-in form.
  const FOCUS_KEY = 'openchat:focus-sign-in';

  const byId = (id) => document.getElementById(id);
  const el = {
    welcome: byId('welcome'),
    form: byId('account-form'),
    nameInput: byId('account-name-input'),
    passwordInput: byId('password-input'),
    signInButton: byId('sign-in-button'),
    signUpButton: byId('sign-up-button'),
    passwordHint: byId('password-hint'),
    formError: byId('account-form-error'),
    menu: byId('account-menu'),
    avatar: byId('account-avatar'),
    name: byId('account-name'),
    avatarInput: byId('avatar-input'),
    avatarRemove: byId('avatar-remove'),
    signOutButton: byId('sign-out-button'),
    signInLink: byId('sign-in-link'),
    error: byId('account-error'),
  };

  let state = { signedIn: false, name: null, avatar: null, antiforgery: null, minPasswordLength: 8, maxAvatarBytes: 1048576, maxAvatarDimension: 2048 };
  let inChat = false;
  const avatarListeners = [];

  function reasonOf(payload, fallback) {
    return payload && payload.reason ? asText(payload.reason) : fallback;
  }

  /** Sends an account request with the antiforgery token; resolves with { ok, payload }. Never rejects. */
  async function send(method, path, body) {
    await ready; // the token comes with the state
    try {
      const res = await fetch(path, {
        method,
        body,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: state.antiforgery ? { RequestVerificationToken: state.antiforgery } : {},
      });
      let payload = null;
      try {
        payload = await res.json();
      } catch (e) {
        // An empty or non-JSON answer (a proxy's error page): payload stays null.
      }
      return { ok: res.ok && Boolean(payload) && payload.ok === true, payload };
    } catch (e) {
      return { ok: false, payload: { reason: 'The server cannot be reached; check your connection and try again.' } };
    }
  }

  async function load() {
    try {
      const res = await fetch('/account', { credentials: 'same-origin', cache: 'no-store' });
      if (res.ok) {
        const got = await res.json();
        if (got && typeof got === 'object') state = got;
      }
    } catch (e) {
      // Without it the page still works for guests; account requests will say what is wrong.
    }
    el.passwordHint.textContent =
      'New here? Pick a name and a password of at least ' + state.minPasswordLength + ' characters, then “Create account”.';
    render();
    if (sessionStorage.getItem(FOCUS_KEY)) {
      sessionStorage.removeItem(FOCUS_KEY);
      if (!state.signedIn) el.nameInput.focus();
    }
    return state;
  }

  function render() {
    el.menu.hidden = !state.signedIn;
    el.signInLink.hidden = state.signedIn || !inChat;
    el.form.hidden = state.signedIn;
    if (state.signedIn) {
      const name = asText(state.name);
      el.name.textContent = name;
      el.avatar.replaceChildren(makeAvatar(name, state.avatar));
      el.avatarRemove.hidden = !state.avatar;
    }
  }

  /** The user changed: this tab and the others start again as the new user. */
  function changed() {
    try {
      window.localStorage.setItem(CHANGED_KEY, String(Date.now()));
    } catch (e) {
      // Other tabs will notice on their next reconnect instead.
    }
    window.location.reload();
  }

  function setBusy(busy) {
    el.signInButton.disabled = busy;
    el.signUpButton.disabled = busy;
  }

  async function submitCredentials(path) {
    el.formError.textContent = '';
    const name = el.nameInput.value.trim();
    const password = el.passwordInput.value;
    if (!name) {
      el.formError.textContent = 'Choose a name.';
      el.nameInput.focus();
      return;
    }
    if (path === '/account/sign-up' && password.length < state.minPasswordLength) {
      el.formError.textContent = 'Passwords are at least ' + state.minPasswordLength + ' characters.';
      el.passwordInput.focus();
      return;
    }
    const form = new FormData();
    form.append('name', name);
    form.append('password', password);
    setBusy(true);
    const { ok, payload } = await send('POST', path, form);
    if (ok) {
      changed();
      return;
    }
    setBusy(false);
    el.formError.textContent = reasonOf(payload, 'That did not work; try again.');
  }

  async function signOut() {
    el.error.textContent = '';
    const { ok, payload } = await send('POST', '/account/sign-out', new FormData());
    if (ok) {
      changed();
    } else {
      el.error.textContent = reasonOf(payload, 'Could not sign out; try again.');
    }
  }

  function setAvatar(url) {
    state.avatar = url || null;
    render();
    for (const listener of avatarListeners) listener(state.avatar);
  }

  async function uploadAvatar(file) {
    el.error.textContent = '';
    if (!file) return;
    if (file.size > state.maxAvatarBytes) {
      el.error.textContent = 'Pictures are at most ' + Math.round(state.maxAvatarBytes / 1024) + ' KiB; choose a smaller file.';
      return;
    }
    const form = new FormData();
    form.append('avatar', file);
    const { ok, payload } = await send('POST', '/account/avatar', form);
    if (ok) {
      setAvatar(payload.avatar);
    } else {
      el.error.textContent = reasonOf(payload, 'The picture was not accepted.');
    }
  }

  async function removeAvatar() {
    el.error.textContent = '';
    const { ok, payload } = await send('DELETE', '/account/avatar');
    if (ok) {
      setAvatar(null);
    } else {
      el.error.textContent = reasonOf(payload, 'The picture could not be removed.');
    }
  }

  el.form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitCredentials('/account/sign-in');
  });
  el.signUpButton.addEventListener('click', () => {
    el.passwordInput.setAttribute('autocomplete', 'new-password');
    submitCredentials('/account/sign-up');
  });
  el.signOutButton.addEventListener('click', signOut);
  el.avatarInput.addEventListener('change', () => {
    const file = el.avatarInput.files && el.avatarInput.files[0];
    uploadAvatar(file).finally(() => {
      el.avatarInput.value = '';
    });
  });
  el.avatarRemove.addEventListener('click', removeAvatar);
  el.signInLink.addEventListener('click', () => {
    // Back to the welcome screen, on its sign-in form; the conversation is kept.
    sessionStorage.setItem(FOCUS_KEY, '1');
    window.location.reload();
  });
  window.addEventListener('storage', (event) => {
    if (event.key === CHANGED_KEY) window.location.reload();
  });

  const ready = load();

  window.OpenChatAccount = {
    /** Resolves with the account state once GET /account has answered (or failed). */
    ready,
    get state() {
      return state;
    },
    /** chat.js: the chat is shown (a guest then gets the "Sign in" button). */
    enteredChat() {
      inChat = true;
      render();
    },
    /** Calls back with the new picture URL (or null) when the user changes it here. */
    onAvatarChange(listener) {
      avatarListeners.push(listener);
    },
  };
})();
