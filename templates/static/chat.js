/*
 * OpenChat browser client.
 *
 * Talks to the server with Socket.IO (the global `io` comes from
 * /socket.io/socket.io.js) using the rich protocol (auth.protocol = 2):
 * channels, stored history, presence. Timelines live in timeline.js, markup
 * in home.html, styles in chat.css.
 *
 * Reconnecting: when Socket.IO restores the session (`socket.recovered`), the
 * packets missed meanwhile arrive by themselves and nothing else is needed.
 * Otherwise (a new session, or a restarted server) the page joins its
 * channels again and fetches what it missed from history. Either way every
 * message is shown once: timelines skip ids they already have.
 *
 * Accounts (account.js): a signed-in page joins at once under its account's
 * name, which the server takes from the sign-in cookie; pictures arrive in
 * the presence entries and on new messages.
 *
 * Security rule for this file: every piece of user-provided text (names,
 * messages, channel names, system lines, refusal reasons) goes into the DOM
 * through textContent / text nodes only, never through innerHTML.
 */
(function () {
  'use strict';

  const { Timeline, idOf, makeAvatar, makeSpan, asText } = window.OpenChatTimeline;

  // How long to wait for the server to answer a request.
  const ACK_TIMEOUT_MS = 10000;
  // Messages per history page: the last ones when a channel is entered, and
  // each older page when the user scrolls up.
  const PAGE_SIZE = 50;
  // After a reconnect, at most this many pages are fetched per channel to
  // close the gap; anything older is one scroll away.
  const GAP_PAGES = 10;
  // Closer than this to the top of a timeline, older messages are loaded.
  const LOAD_OLDER_PX = 80;
  // Ids of own messages remembered across reloads, to style them as own.
  const OWN_IDS_KEPT = 500;
  const GENERAL = '#general';
  const STATUS_TEXT = {
    connecting: 'connecting…',
    connected: 'connected',
    reconnecting: 'reconnecting…',
    disconnected: 'disconnected',
  };

  const byId = (id) => document.getElementById(id);
  const el = {
    welcome: byId('welcome'),
    nameForm: byId('name-form'),
    nameInput: byId('name-input'),
    nameError: byId('name-error'),
    chat: byId('chat'),
    messages: byId('messages'),
    channelTitle: byId('channel-title'),
    channelList: byId('channel-list'),
    channelForm: byId('channel-form'),
    channelInput: byId('channel-input'),
    channelError: byId('channel-error'),
    users: byId('users'),
    userCount: byId('user-count'),
    usersOffline: byId('users-offline'),
    composer: byId('composer'),
    messageInput: byId('message-input'),
    sendButton: byId('send-button'),
    composerError: byId('composer-error'),
    leaveButton: byId('leave-button'),
    leftNotice: byId('left-notice'),
    leftNoticeText: byId('left-notice-text'),
    rejoinButton: byId('rejoin-button'),
    statusBar: byId('status-bar'),
    status: byId('status'),
    transportLabel: byId('transport-label'),
    transport: byId('transport'),
  };

  /* ------------------------------------------------------------------ */
  /* What the page remembers across reloads (nothing breaks without it)  */
  /* ------------------------------------------------------------------ */

  const prefs = {
    read(key, fallback) {
      try {
        const raw = window.localStorage.getItem('openchat:' + key);
        return raw == null ? fallback : JSON.parse(raw);
      } catch (e) {
        return fallback;
      }
    },
    write(key, value) {
      try {
        window.localStorage.setItem('openchat:' + key, JSON.stringify(value));
      } catch (e) {
        // Storage off or full: the page still works, it just forgets on reload.
      }
    },
  };

  const ownIds = new Set(prefs.read('own', []).map(asText));
  const lastRead = prefs.read('read', {}); // channel name -> id string

  /* ------------------------------------------------------------------ */
  /* State                                                               */
  /* ------------------------------------------------------------------ */

  let socket = null;
  let chosenName = 'Guest';
  let leftByUser = false; // true between "Leave" and "Rejoin"
  let autoReconnect = false; // the current connection replaced one that dropped
  let currentId = null; // this connection's socket id
  let watchedEngine = null; // engine we already attached an 'upgrade' listener to
  let ownJoinShown = false; // the page showed "<me> joined" once; it never shows it again for a reconnect
  let lineFilter = []; // system lines the last presence delta made redundant (see applyDelta)
  let active = GENERAL;
  let arriving = null; // the channel a reload or reconnect is about to show (see viewing())
  const users = new Map(); // socket id -> { name, avatar }, in display order
  const previousIds = new Set(); // this page's earlier socket ids: own messages, and ghosts until the server drops them
  const ownNames = new Map(); // this page's socket ids -> the name the server last listed for each
  let closedByPage = false; // the page disconnected itself on pagehide (see below)
  const channels = new Map(); // channel name -> { name, joined, unread, timeline, button, badge, shown, fromBottom }

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

  function reasonOf(payload, fallback) {
    return payload && payload.reason ? asText(payload.reason) : fallback;
  }

  /** Emits with an acknowledgement; resolves with the answer, rejects on timeout or a dropped connection. */
  function request(event, payload) {
    return new Promise((resolve, reject) => {
      if (!socket || !socket.connected) {
        reject(new Error('not connected'));
        return;
      }
      socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  function isOwn(msg) {
    if (!msg) return false;
    const sender = asText(msg.senderId);
    return (sender !== '' && (sender === currentId || previousIds.has(sender))) || ownIds.has(asText(msg.id));
  }

  function rememberOwn(id) {
    ownIds.add(asText(id));
    const kept = Array.from(ownIds).slice(-OWN_IDS_KEPT);
    prefs.write('own', kept);
  }

  /* ------------------------------------------------------------------ */
  /* Status bar, composer state, notices                                 */
  /* ------------------------------------------------------------------ */

  /** state: 'connecting' | 'connected' | 'reconnecting' | 'disconnected' */
  function setStatus(state) {
    el.statusBar.hidden = false;
    el.status.textContent = STATUS_TEXT[state];
    el.status.dataset.state = state;
    // The transport is only worth naming while there is one.
    el.transportLabel.hidden = state !== 'connected';
    if (state === 'connected') showTransport();
    renderUsers();
  }

  function showTransport() {
    const engine = socket && socket.io.engine;
    if (engine && engine.transport) el.transport.textContent = engine.transport.name;
  }

  /** The manager creates a new engine for every (re)connection; each needs its 'upgrade' listener. */
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
  /* Online list                                                         */
  /* ------------------------------------------------------------------ */

  function isUser(u) {
    return Boolean(u) && typeof u === 'object' && u.id != null;
  }

  function renderUsers() {
    const online = Boolean(socket && socket.connected);
    el.users.hidden = !online;
    el.userCount.hidden = !online;
    el.usersOffline.hidden = online;
    if (!online) {
      // Offline we do not know who is there; the next snapshot refills the list.
      el.usersOffline.textContent = el.status.dataset.state === 'reconnecting' ? 'Reconnecting…' : 'Not connected';
      el.users.replaceChildren();
      return;
    }
    const fragment = document.createDocumentFragment();
    let count = 0;
    for (const [id, user] of users) {
      // This page's earlier connection, not yet noticed gone by the server, is not someone else.
      if (previousIds.has(id)) continue;
      count++;
      const item = document.createElement('li');
      item.append(makeAvatar(user.name, user.avatar), makeSpan('user-name', user.name));
      if (id === currentId) {
        item.classList.add('user--you');
        item.append(makeSpan('you', ' (you)'));
      }
      fragment.append(item);
    }
    el.users.replaceChildren(fragment);
    el.userCount.textContent = String(count);
  }

  /** Lists a user; the page remembers the name the server gives its own connection. */
  function listUser(id, name, avatar) {
    users.set(id, { name, avatar: avatar || null });
    if (id === currentId) ownNames.set(id, name);
  }

  function applySnapshot(payload) {
    users.clear();
    for (const u of asArray(payload && payload.users)) {
      if (isUser(u)) listUser(asText(u.id), asText(u.name), u.avatar);
    }
    renderUsers();
  }

  /**
   * Applies joined, renamed, avatars (pictures), then left. The system lines of the same update
   * follow it, so this is where the page learns which of them are about its
   * own reconnect: the leave of its earlier connection and, after an
   * unplanned drop, its own join again. Those are not news to the user.
   */
  function applyDelta(delta) {
    if (!delta || typeof delta !== 'object') return;
    lineFilter = [];
    for (const u of asArray(delta.joined)) {
      if (!isUser(u)) continue;
      const id = asText(u.id);
      listUser(id, asText(u.name), u.avatar);
      if (id === currentId) {
        if (ownJoinShown && autoReconnect) lineFilter.push({ kind: 'join', text: asText(u.name) + ' joined' });
        ownJoinShown = true;
        autoReconnect = false;
      }
    }
    for (const u of asArray(delta.renamed)) {
      const known = isUser(u) && users.get(asText(u.id));
      if (known) {
        known.name = asText(u.name);
        if (asText(u.id) === currentId) ownNames.set(currentId, known.name);
      }
    }
    for (const u of asArray(delta.avatars)) {
      const known = isUser(u) && users.get(asText(u.id));
      if (known) known.avatar = u.avatar || null; // absent: back to initials
    }
    for (const entry of asArray(delta.left)) {
      const id = asText(isUser(entry) ? entry.id : entry);
      // Its own earlier connection leaving. The list may be empty meanwhile (a recovered session replays what it
      // missed before its list comes back), so the name is the one the page remembers for that connection.
      const name = users.has(id) ? users.get(id).name : ownNames.get(id);
      if (previousIds.has(id) && name !== undefined) lineFilter.push({ kind: 'leave', text: name + ' left' });
      users.delete(id);
    }
    renderUsers();
  }

  function onSystem(evt) {
    if (!evt || typeof evt !== 'object') return;
    const redundant = lineFilter.findIndex((f) => f.kind === evt.kind && f.text === asText(evt.text));
    if (redundant >= 0) {
      lineFilter.splice(redundant, 1);
      return;
    }
    // Presence is chat-wide; its lines belong to #general, where everyone is.
    channelState(GENERAL).timeline.addSystem(evt);
  }

  /* ------------------------------------------------------------------ */
  /* Channels                                                            */
  /* ------------------------------------------------------------------ */

  function channelState(name) {
    let state = channels.get(name);
    if (state) return state;
    state = { name, joined: false, unread: 0, timeline: new Timeline(el.messages, name), button: null, badge: null, shown: false, fromBottom: 0 };
    state.timeline.list.addEventListener('scroll', () => {
      if (state.timeline.list.scrollTop < LOAD_OLDER_PX) loadOlder(state);
    });
    channels.set(name, state);
    renderChannelList();
    return state;
  }

  function saveJoined() {
    prefs.write('channels', Array.from(channels.values()).filter((c) => c.joined && c.name !== GENERAL).map((c) => c.name));
  }

  function renderChannelList() {
    const fragment = document.createDocumentFragment();
    for (const state of channels.values()) {
      if (!state.button) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'channel';
        button.append(makeSpan('channel-name', state.name));
        state.badge = makeSpan('unread', '');
        button.append(state.badge);
        button.addEventListener('click', () => switchTo(state.name));
        state.button = button;
      }
      const current = state.name === active;
      state.button.setAttribute('aria-current', current ? 'true' : 'false');
      state.button.classList.toggle('channel--joined', state.joined);
      state.badge.hidden = state.unread === 0;
      state.badge.textContent = String(state.unread);
      state.badge.setAttribute('aria-label', state.unread + ' unread');
      const item = document.createElement('li');
      item.append(state.button);
      fragment.append(item);
    }
    el.channelList.replaceChildren(fragment);
  }

  function markRead(state) {
    state.unread = 0;
    const newest = state.timeline.newestId;
    // An empty channel is read up to "0": everything that arrives later counts.
    const read = newest !== null ? newest.toString() : lastRead[state.name] || '0';
    if (lastRead[state.name] !== read) {
      lastRead[state.name] = read;
      prefs.write('read', lastRead);
    }
  }

  /** The channel in view, or the one about to be once a reload or reconnect has joined it. */
  function viewing() {
    return arriving || active;
  }

  /** Counts a newly shown message as unread unless it is in view, own, or older than what was read. */
  function noteArrival(state, msg) {
    if (state.name === viewing() || isOwn(msg)) {
      if (state.name === viewing()) markRead(state);
      return;
    }
    const read = lastRead[state.name];
    if (read === undefined) return; // never seen this channel: its past is not news
    const id = idOf(msg.id);
    if (id !== null && id > BigInt(read)) state.unread++;
  }

  async function switchTo(name) {
    const state = channelState(name);
    if (!state.joined && (await joinChannel(state)) !== 'ok') return;
    if (name !== active || !state.shown) {
      const previous = channels.get(active);
      if (previous && previous !== state && !previous.timeline.list.hidden) {
        const list = previous.timeline.list;
        previous.fromBottom = previous.timeline.isNearBottom() ? 0 : list.scrollHeight - list.scrollTop;
      }
      active = name;
      prefs.write('active', name);
      el.channelTitle.textContent = name;
      for (const other of channels.values()) {
        if (other !== state) other.timeline.hide();
      }
      state.timeline.show();
      // Back where the user left it, or at the newest message.
      if (!state.shown || state.fromBottom === 0) {
        state.timeline.scrollToBottom();
      } else {
        state.timeline.list.scrollTop = state.timeline.list.scrollHeight - state.fromBottom;
      }
      state.shown = true;
    }
    markRead(state);
    renderChannelList();
    fillView(state);
  }

  /** Joins and syncs a channel: 'ok', 'refused' (it is gone or not allowed) or 'failed' (no answer). */
  async function joinChannel(state) {
    el.channelError.textContent = '';
    let res;
    try {
      res = await request('join_channel', { channel: state.name });
    } catch (e) {
      el.channelError.textContent = 'Could not join ' + state.name + ' right now.';
      return 'failed';
    }
    if (!res || res.ok !== true) {
      el.channelError.textContent = reasonOf(res, 'Could not join ' + state.name + '.');
      state.joined = false;
      saveJoined();
      renderChannelList();
      return 'refused';
    }
    state.joined = true;
    saveJoined();
    renderChannelList();
    await sync(state);
    return 'ok';
  }

  async function createChannel(raw) {
    el.channelError.textContent = '';
    let res;
    try {
      res = await request('create_channel', { name: raw });
    } catch (e) {
      el.channelError.textContent = 'Could not create the channel right now.';
      return;
    }
    if (!res || res.ok !== true || !res.channel) {
      el.channelError.textContent = reasonOf(res, 'The channel was not created.');
      return;
    }
    const state = channelState(asText(res.channel.name));
    state.joined = true;
    state.timeline.reachedStart = true;
    updateEdge(state);
    saveJoined();
    el.channelInput.value = '';
    await switchTo(state.name);
  }

  /* ------------------------------------------------------------------ */
  /* History                                                             */
  /* ------------------------------------------------------------------ */

  /** One page of a channel's history, oldest first; null when refused or unanswered. */
  async function historyPage(name, before) {
    const req = { channel: name, limit: PAGE_SIZE };
    if (before !== null && before !== undefined) req.before = before.toString();
    try {
      const res = await request('history', req);
      if (res && res.ok === true && Array.isArray(res.messages)) return res.messages;
      showError(reasonOf(res, 'The history of ' + name + ' could not be loaded.'));
    } catch (e) {
      // Disconnected meanwhile: the next connect syncs again.
    }
    return null;
  }

  function updateEdge(state) {
    const t = state.timeline;
    t.setEdge(t.loading ? 'loading' : t.reachedStart ? 'start' : 'idle');
  }

  /**
   * Brings a channel up to date: its last page, and after a gap (reconnect,
   * restarted server) older pages until the gap is closed.
   */
  async function sync(state) {
    const t = state.timeline;
    const known = t.newestId;
    let before = null;
    for (let pages = 0; pages < GAP_PAGES; pages++) {
      const page = await historyPage(state.name, before);
      if (page === null) return;
      for (const msg of page) {
        if (t.add(msg, isOwn(msg), state.name === viewing())) noteArrival(state, msg);
      }
      if (page.length < PAGE_SIZE) {
        // Shorter than asked: nothing older exists.
        t.reachedStart = true;
        break;
      }
      const oldest = idOf(page[0].id);
      if (known === null || oldest === null || oldest <= known) break;
      before = oldest;
    }
    if (!(state.name in lastRead)) markRead(state);
    updateEdge(state);
    renderChannelList();
    if (state.name === active) {
      if (!state.shown) {
        t.scrollToBottom();
        state.shown = true;
      }
      fillView(state);
    }
  }

  async function loadOlder(state) {
    const t = state.timeline;
    if (t.reachedStart || t.loading || t.oldestId === null || !socket || !socket.connected) return;
    t.loading = true;
    updateEdge(state);
    try {
      const page = await historyPage(state.name, t.oldestId);
      if (page !== null) {
        t.prepend(page, isOwn);
        if (page.length < PAGE_SIZE) t.reachedStart = true;
      }
    } finally {
      t.loading = false;
      updateEdge(state);
    }
    fillView(state);
  }

  /** A timeline too short to scroll could never ask for more by scrolling: ask now. */
  function fillView(state) {
    const t = state.timeline;
    if (!t.list.hidden && !t.reachedStart && !t.loading && t.fitsWithoutScrolling) loadOlder(state);
  }

  /** After a connect that did not restore the session: rooms are gone, messages may be missing. */
  async function resync() {
    const general = channelState(GENERAL);
    general.joined = true;
    try {
      const res = await request('channels', {});
      for (const c of asArray(res && res.channels)) {
        if (c && typeof c.name === 'string') channelState(c.name);
      }
    } catch (e) {
      return; // disconnected again; the next connect starts over
    }
    const remembered = asText(prefs.read('active', GENERAL));
    arriving = active === GENERAL && channels.has(remembered) ? remembered : active;
    const wanted = new Set(prefs.read('channels', []).map(asText));
    for (const state of channels.values()) {
      if (state.joined && state.name !== GENERAL) wanted.add(state.name);
    }
    const joins = [];
    for (const name of wanted) {
      const state = channels.get(name);
      if (state) {
        joins.push(joinChannel(state));
      }
    }
    await Promise.all([sync(general), ...joins]);
    const target = channels.get(arriving);
    arriving = null;
    await switchTo(target && target.joined ? target.name : GENERAL);
  }

  /* ------------------------------------------------------------------ */
  /* Messages                                                            */
  /* ------------------------------------------------------------------ */

  function onChat(msg) {
    if (!msg || typeof msg !== 'object') return;
    const state = channelState(asText(msg.channel) || GENERAL);
    const own = isOwn(msg);
    if (!state.timeline.add(msg, own, state.name === active)) return;
    noteArrival(state, msg);
    renderChannelList();
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
    // A new manager each time: after a refused name the page connects afresh.
    const options = { auth: { protocol: 2, name: chosenName }, forceNew: true };
    const transports = transportsFromUrl();
    if (transports) options.transports = transports;

    socket = window.io(options);
    setStatus('connecting');
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
      currentId = s.id;
      previousIds.delete(s.id); // a restored session keeps its id
      setComposerEnabled(true);
      setStatus('connected');
      watchEngine();
      hideNotice();
      el.leaveButton.hidden = false;

      // Announce our name on every connect, reconnects included.
      s.emit('add_username', chosenName, (res) => {
        if (res && res.ok === false) showError(reasonOf(res, 'Your name was refused.'));
      });

      if (!s.recovered) resync();

      // Focus the composer unless the user is busy with another control.
      if (!document.activeElement || document.activeElement === document.body) {
        el.messageInput.focus();
      }
    });

    s.on('disconnect', (reason) => {
      setComposerEnabled(false);
      if (currentId) previousIds.add(currentId);
      users.clear();
      if (leftByUser) return; // leave() already updated the UI
      autoReconnect = s.active;
      if (s.active) {
        // The client retries by itself (a dropped connection, a restarting server).
        setStatus('reconnecting');
        return;
      }
      setStatus('disconnected');
      if (reason === 'io server disconnect') {
        // The server closed the session on purpose; no automatic retry happens.
        showNotice('The server ended your session.');
      }
    });

    s.on('connect_error', (err) => {
      // While s.active is true the manager keeps retrying on its own.
      if (s.active) return;
      if (err && err.data && err.data.reason && !window.OpenChatAccount.state.signedIn) {
        // The name was refused (a registered one): back to the name form, to pick another.
        backToWelcome(asText(err.data.reason));
        return;
      }
      setStatus('disconnected');
      setComposerEnabled(false);
      showError('Could not join the chat: ' + asText(err && err.message));
      showNotice('Could not join the chat.');
    });

    s.on('chat', onChat);
    s.on('system', onSystem);
    s.on('presence_snapshot', applySnapshot);
    s.on('presence_delta', applyDelta);
    s.on('channel_created', (c) => {
      if (c && typeof c.name === 'string') channelState(c.name);
    });
    s.on('refused', (payload) => showError(reasonOf(payload, 'The server refused that action.')));
    // 'usernames' and 'message' are only meant for older clients: with no
    // handler registered, Socket.IO simply drops them.
  }

  function backToWelcome(reason) {
    if (socket) socket.disconnect();
    socket = null;
    el.chat.hidden = true;
    el.statusBar.hidden = true;
    el.leaveButton.hidden = true;
    el.welcome.hidden = false;
    el.nameError.textContent = reason;
    el.nameInput.focus();
  }

  function leave() {
    if (!socket) return;
    leftByUser = true; // set first: 'disconnect' fires synchronously
    socket.disconnect();
    setStatus('disconnected');
    setComposerEnabled(false);
    el.leaveButton.hidden = true; // the notice offers "Rejoin" instead
    showNotice('You left the chat.');
    el.rejoinButton.focus();
  }

  function rejoin() {
    if (!socket) return;
    leftByUser = false;
    autoReconnect = false;
    hideNotice();
    clearError();
    el.leaveButton.hidden = false;
    setStatus('connecting');
    socket.connect();
  }

  /* ------------------------------------------------------------------ */
  /* UI wiring                                                           */
  /* ------------------------------------------------------------------ */

  el.nameInput.value = asText(prefs.read('name', ''));

  function enterChat(name) {
    chosenName = name;
    el.nameError.textContent = '';
    el.welcome.hidden = true;
    el.chat.hidden = false;
    el.leaveButton.hidden = false;
    channelState(GENERAL).timeline.show();
    window.OpenChatAccount.enteredChat();
    connect();
  }

  el.nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (socket) return; // already joined
    const name = el.nameInput.value.trim() || 'Guest';
    prefs.write('name', name);
    enterChat(name);
  });

  // Signed in: straight into the chat under the account's name (a reload keeps you signed in).
  window.OpenChatAccount.ready.then((account) => {
    if (account.signedIn && !socket) enterChat(asText(account.name));
  });

  el.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = el.messageInput.value.trim();
    if (!text || !socket || !socket.connected) return;

    clearError();
    const channel = active;
    const payload = channel === GENERAL ? text : { channel, text };
    // With timeout(), the callback gets (err, response); err is set when the
    // server does not answer in time or the connection drops meanwhile.
    socket.timeout(ACK_TIMEOUT_MS).emit('my_mssg', payload, (err, res) => {
      if (err) {
        if (!leftByUser) showError('The server did not confirm your message.');
      } else if (res && res.ok === false) {
        showError(reasonOf(res, 'Your message was refused.'));
        // Nothing typed is lost: a refused message goes back into an empty composer.
        if (!el.messageInput.value) el.messageInput.value = text;
      } else if (res && res.id != null) {
        rememberOwn(res.id);
      }
    });

    el.messageInput.value = '';
    el.messageInput.focus();
  });

  el.channelForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const raw = el.channelInput.value.trim();
    if (!raw || !socket || !socket.connected) return;
    createChannel(raw);
  });

  el.leaveButton.addEventListener('click', leave);
  el.rejoinButton.addEventListener('click', rejoin);

  // Closing or reloading the tab is leaving: said at once, so the others see "left" now rather than after the
  // server's grace for dropped connections (a reload is a new session anyway). Back from the back/forward
  // cache, the page connects again.
  window.addEventListener('pagehide', () => {
    if (socket && socket.connected) {
      closedByPage = true;
      leftByUser = true;
      socket.disconnect();
    }
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && closedByPage && socket) {
      closedByPage = false;
      rejoin();
    }
  });
})();
