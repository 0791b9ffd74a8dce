/*
 * OpenChat browser client.
 *
 * Talks to the server with Socket.IO (the global `io` comes from
 * /socket.io/socket.io.js). Markup lives in home.html, styles in chat.css.
 *
 * Security rule for this file: every piece of user-provided text (names,
 * messages, system lines, refusal reasons) goes into the DOM through
 * textContent / text nodes only, never through innerHTML.
 */
(function () {
  'use strict';

  // How long to wait for the server to acknowledge a chat message.
  const ACK_TIMEOUT_MS = 10000;
  // If the user is further than this from the bottom of the list, they are
  // reading older messages and we should not yank them down.
  const STICKY_SCROLL_PX = 120;

  const byId = (id) => document.getElementById(id);
  const el = {
    welcome: byId('welcome'),
    nameForm: byId('name-form'),
    nameInput: byId('name-input'),
    chat: byId('chat'),
    messages: byId('messages'),
    users: byId('users'),
    userCount: byId('user-count'),
    composer: byId('composer'),
    messageInput: byId('message-input'),
    sendButton: byId('send-button'),
    composerError: byId('composer-error'),
    leaveButton: byId('leave-button'),
    leftNotice: byId('left-notice'),
    leftNoticeText: byId('left-notice-text'),
    rejoinButton: byId('rejoin-button'),
    status: byId('status'),
    transport: byId('transport'),
  };

  let socket = null;
  let chosenName = 'Guest';
  let leftByUser = false; // true between "Leave" and "Rejoin"
  let watchedEngine = null; // engine we already attached an 'upgrade' listener to
  const users = new Map(); // socket id -> display name, in display order

  // Test / debugging hook.
  window.openChat = {
    get socket() {
      return socket;
    },
  };

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  /** `?transports=polling,websocket` -> ['polling', 'websocket']; null when absent/invalid. */
  function transportsFromUrl() {
    const raw = new URLSearchParams(window.location.search).get('transports');
    if (!raw) return null;
    const list = raw
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t === 'polling' || t === 'websocket');
    return list.length ? list : null;
  }

  function asArray(value) {
    return Array.isArray(value) ? value : [];
  }

  function asText(value) {
    return value == null ? '' : String(value);
  }

  function reasonOf(payload, fallback) {
    return payload && payload.reason ? asText(payload.reason) : fallback;
  }

  function toDate(ms) {
    const d = new Date(typeof ms === 'number' ? ms : NaN);
    return Number.isNaN(d.getTime()) ? new Date() : d;
  }

  /** Local time as HH:MM (24 h), independent of the browser locale. */
  function formatTime(date) {
    const pad = (n) => String(n).padStart(2, '0');
    return pad(date.getHours()) + ':' + pad(date.getMinutes());
  }

  /** First character (code point, so emoji survive) of the name, upper-cased. */
  function initialOf(name) {
    const first = Array.from(name.trim())[0];
    return first ? first.toUpperCase() : '?';
  }

  /**
   * Deterministic avatar colour: a simple string hash picks the hue, while
   * saturation and lightness are fixed so white initials stay readable.
   */
  function colourFor(name) {
    let hash = 0;
    for (const ch of name) {
      hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    }
    return 'hsl(' + (hash % 360) + ', 55%, 36%)';
  }

  function makeAvatar(name) {
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = initialOf(name);
    avatar.style.backgroundColor = colourFor(name);
    return avatar;
  }

  function makeSpan(className, text) {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    return span;
  }

  /* ------------------------------------------------------------------ */
  /* Status bar, composer state, notices                                 */
  /* ------------------------------------------------------------------ */

  /** state: 'connected' | 'reconnecting' | 'disconnected' | 'connecting' */
  function setStatus(state) {
    el.status.textContent = state;
    el.status.dataset.state = state;
  }

  function showTransport() {
    const engine = socket && socket.io.engine;
    if (engine && engine.transport) el.transport.textContent = engine.transport.name;
  }

  /**
   * The manager creates a brand-new engine for every (re)connection, so the
   * 'upgrade' listener has to be attached again each time.
   */
  function watchEngine() {
    const engine = socket && socket.io.engine;
    if (!engine || engine === watchedEngine) return;
    watchedEngine = engine;
    engine.on('upgrade', showTransport);
    showTransport();
  }

  function setComposerEnabled(enabled) {
    el.messageInput.disabled = !enabled;
    el.sendButton.disabled = !enabled;
  }

  function showError(message) {
    el.composerError.textContent = message;
  }

  function clearError() {
    el.composerError.textContent = '';
  }

  function showNotice(message) {
    el.leftNoticeText.textContent = message;
    el.leftNotice.hidden = false;
  }

  function hideNotice() {
    el.leftNotice.hidden = true;
  }

  /* ------------------------------------------------------------------ */
  /* Message list                                                        */
  /* ------------------------------------------------------------------ */

  function isNearBottom() {
    const list = el.messages;
    return list.scrollHeight - list.scrollTop - list.clientHeight < STICKY_SCROLL_PX;
  }

  /** Append an item; follow it unless the user scrolled up (own messages always follow). */
  function appendItem(item, forceScroll) {
    const stick = forceScroll || isNearBottom();
    el.messages.appendChild(item);
    if (stick) el.messages.scrollTop = el.messages.scrollHeight;
  }

  function renderChat(msg) {
    if (!msg || typeof msg !== 'object') return;
    const name = asText(msg.username);
    const own = Boolean(socket && socket.id && msg.senderId === socket.id);
    const sentAt = toDate(msg.sentAt);

    const item = document.createElement('li');
    item.className = own ? 'message message--own' : 'message';
    if (msg.id != null) item.dataset.id = asText(msg.id);

    const time = document.createElement('time');
    time.className = 'timestamp';
    time.setAttribute('datetime', sentAt.toISOString());
    time.textContent = formatTime(sentAt);

    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.append(makeSpan('author', name), document.createTextNode(' '), time);

    const text = document.createElement('p');
    text.className = 'text';
    text.textContent = asText(msg.text);

    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    bubble.append(meta, text);

    item.append(makeAvatar(name), bubble);
    appendItem(item, own);
  }

  function renderSystem(evt) {
    if (!evt || typeof evt !== 'object') return;
    const item = document.createElement('li');
    item.className = 'system';
    if (typeof evt.kind === 'string') item.dataset.kind = evt.kind;
    if (typeof evt.at === 'number') item.title = formatTime(toDate(evt.at));
    item.textContent = asText(evt.text);
    appendItem(item, false);
  }

  /* ------------------------------------------------------------------ */
  /* Online list                                                         */
  /* ------------------------------------------------------------------ */

  function isUser(u) {
    return Boolean(u) && typeof u === 'object' && u.id != null;
  }

  function renderUsers() {
    const fragment = document.createDocumentFragment();
    for (const [id, name] of users) {
      const item = document.createElement('li');
      item.append(makeAvatar(name), makeSpan('user-name', name));
      if (socket && id === socket.id) {
        item.classList.add('user--you');
        item.append(makeSpan('you', ' (you)'));
      }
      fragment.append(item);
    }
    el.users.replaceChildren(fragment);
    el.userCount.textContent = String(users.size);
  }

  function applySnapshot(payload) {
    users.clear();
    for (const u of asArray(payload && payload.users)) {
      if (isUser(u)) users.set(asText(u.id), asText(u.name));
    }
    renderUsers();
  }

  function applyDelta(delta) {
    if (!delta || typeof delta !== 'object') return;
    // Order matters if the server batches: someone who joined and left in the
    // same delta must end up removed. Map.set keeps the position of existing ids.
    for (const u of asArray(delta.joined)) {
      if (isUser(u)) users.set(asText(u.id), asText(u.name));
    }
    for (const u of asArray(delta.renamed)) {
      if (isUser(u)) users.set(asText(u.id), asText(u.name));
    }
    for (const entry of asArray(delta.left)) {
      users.delete(asText(isUser(entry) ? entry.id : entry));
    }
    renderUsers();
  }

  function clearUsers() {
    // While offline we do not know who is online; the next snapshot refills it.
    users.clear();
    renderUsers();
  }

  /* ------------------------------------------------------------------ */
  /* Socket                                                              */
  /* ------------------------------------------------------------------ */

  function connect() {
    if (typeof window.io !== 'function') {
      setStatus('disconnected');
      showError('Could not load the chat client. Please reload the page.');
      return;
    }
    const options = { auth: { protocol: 2, name: chosenName } };
    const transports = transportsFromUrl();
    if (transports) options.transports = transports;

    setStatus('connecting');
    socket = window.io(options);
    bindSocket(socket);
  }

  function bindSocket(s) {
    // Manager-level events (they survive socket.disconnect()/connect()).
    s.io.on('open', watchEngine);
    s.io.on('reconnect_attempt', () => {
      if (!leftByUser) setStatus('reconnecting');
    });

    s.on('connect', () => {
      leftByUser = false;
      setStatus('connected');
      watchEngine();
      showTransport();
      hideNotice();
      setComposerEnabled(true);
      el.leaveButton.hidden = false;

      // Announce our name on every connect, reconnects included.
      s.emit('add_username', chosenName, (res) => {
        if (res && res.ok === false) showError(reasonOf(res, 'Your name was refused.'));
      });

      // Focus the composer unless the user is busy with another control.
      if (!document.activeElement || document.activeElement === document.body) {
        el.messageInput.focus();
      }
    });

    s.on('disconnect', (reason) => {
      setComposerEnabled(false);
      clearUsers();
      if (leftByUser) return; // leave() already updated the UI
      // If the manager retries, 'reconnect_attempt' will switch this to "reconnecting".
      setStatus('disconnected');
      if (reason === 'io server disconnect') {
        // The server closed the session on purpose; no automatic retry happens.
        showNotice('The server ended your session.');
      }
    });

    s.on('connect_error', (err) => {
      // While s.active is true the manager keeps retrying on its own.
      if (s.active) return;
      setStatus('disconnected');
      setComposerEnabled(false);
      showError('Could not join the chat: ' + asText(err && err.message));
      showNotice('Could not join the chat.');
    });

    s.on('chat', renderChat);
    s.on('system', renderSystem);
    s.on('presence_snapshot', applySnapshot);
    s.on('presence_delta', applyDelta);
    s.on('refused', (payload) => showError(reasonOf(payload, 'The server refused that action.')));
    // 'usernames' and 'message' are only meant for older clients: with no
    // handler registered, Socket.IO simply drops them.
  }

  function leave() {
    if (!socket) return;
    leftByUser = true; // set first: 'disconnect' fires synchronously
    socket.disconnect();
    setStatus('disconnected');
    setComposerEnabled(false);
    clearUsers();
    el.leaveButton.hidden = true; // the notice offers "Rejoin" instead
    showNotice('You left the chat.');
    el.rejoinButton.focus();
  }

  function rejoin() {
    if (!socket) return;
    leftByUser = false;
    hideNotice();
    clearError();
    el.leaveButton.hidden = false;
    setStatus('connecting');
    socket.connect();
  }

  /* ------------------------------------------------------------------ */
  /* UI wiring                                                           */
  /* ------------------------------------------------------------------ */

  el.nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (socket) return; // already joined
    chosenName = el.nameInput.value.trim() || 'Guest';
    el.welcome.hidden = true;
    el.chat.hidden = false;
    el.leaveButton.hidden = false;
    connect();
  });

  el.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = el.messageInput.value.trim();
    if (!text || !socket || !socket.connected) return;

    clearError();
    // With timeout(), the callback gets (err, response); err is set when the
    // server does not answer in time or the connection drops meanwhile.
    socket.timeout(ACK_TIMEOUT_MS).emit('my_mssg', text, (err, res) => {
      if (err) {
        if (!leftByUser) showError('The server did not confirm your message.');
      } else if (res && res.ok === false) {
        showError(reasonOf(res, 'Your message was refused.'));
      }
    });

    el.messageInput.value = '';
    el.messageInput.focus();
  });

  el.leaveButton.addEventListener('click', leave);
  el.rejoinButton.addEventListener('click', rejoin);
})();
