/*
 * OpenChat timelines: one scrolling list per channel, holding its messages in
 * id order (each id once) and, for #general, the join/leave lines.
 *
 * Messages arrive from three places that may overlap: live `chat` events,
 * history pages (the last messages when a channel is entered, older ones when
 * the user scrolls up, and missed ones after a reconnect), and, once the
 * server offers connection state recovery, packets replayed on reconnect.
 * Inserting by id and skipping ids already shown makes the order of arrival
 * irrelevant: nothing is duplicated and nothing is out of place.
 *
 * Every piece of user text goes into the DOM through textContent only.
 */
(function () {
  'use strict';

  // Further than this from the bottom, the user is reading older messages:
  // new ones must not yank the list down.
  const STICKY_SCROLL_PX = 120;

  function asText(value) {
    return value == null ? '' : String(value);
  }

  /** A message id as a BigInt (ids are decimal strings); null when it is not one. */
  function idOf(value) {
    const text = asText(value);
    return /^[0-9]{1,19}$/.test(text) ? BigInt(text) : null;
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

  /** Deterministic avatar colour: a string hash picks the hue; white initials stay readable. */
  function colourFor(name) {
    let hash = 0;
    for (const ch of name) {
      hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    }
    return 'hsl(' + (hash % 360) + ', 55%, 36%)';
  }

  // Pictures come from the server's own avatar URLs only (/avatars/<account>/<version>).
  const PICTURE_URL = /^\/avatars\/[0-9]{1,19}\/[0-9a-f]{1,64}$/;

  function makeInitials(name) {
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = initialOf(name);
    avatar.style.backgroundColor = colourFor(name);
    return avatar;
  }

  /** The user's picture when they have one, else their initial on a colour of their name. */
  function makeAvatar(name, picture) {
    const url = asText(picture);
    if (!PICTURE_URL.test(url)) return makeInitials(name);
    const img = document.createElement('img');
    img.className = 'avatar avatar--picture';
    img.alt = ''; // the name is always shown beside it
    img.setAttribute('aria-hidden', 'true');
    img.decoding = 'async';
    // A picture removed since (404) falls back to the initials.
    img.addEventListener('error', () => img.replaceWith(makeInitials(name)), { once: true });
    img.src = url;
    return img;
  }

  function makeSpan(className, text) {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    return span;
  }

  function makeBubble(msg, own) {
    const name = asText(msg.username);
    const sentAt = toDate(msg.sentAt);
    const item = document.createElement('li');
    item.className = own ? 'message message--own' : 'message';
    item.dataset.id = asText(msg.id);

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
    item.append(makeAvatar(name, msg.avatar), bubble);
    return item;
  }

  /**
   * One channel's list. `edge` is the first item: it says whether older
   * messages are being loaded or the start of the channel is reached.
   */
  class Timeline {
    constructor(container, name) {
      this.name = name;
      this.list = document.createElement('ul');
      this.list.className = 'timeline';
      this.list.hidden = true;
      this.list.dataset.channel = name;
      this.list.setAttribute('aria-label', 'Messages in ' + name);
      this.edge = document.createElement('li');
      this.edge.className = 'history-edge';
      this.list.append(this.edge);
      container.append(this.list);
      this.order = []; // [{ id: BigInt, el }], ascending
      this.ids = new Set();
      this.reachedStart = false;
      this.loading = false;
    }

    get newestId() {
      return this.order.length ? this.order[this.order.length - 1].id : null;
    }

    get oldestId() {
      return this.order.length ? this.order[0].id : null;
    }

    get size() {
      return this.order.length;
    }

    has(id) {
      const key = idOf(id);
      return key !== null && this.ids.has(key);
    }

    isNearBottom() {
      const list = this.list;
      return list.scrollHeight - list.scrollTop - list.clientHeight < STICKY_SCROLL_PX;
    }

    scrollToBottom() {
      this.list.scrollTop = this.list.scrollHeight;
    }

    /** Whether the list is too short to scroll, so scrolling up can never ask for more. */
    get fitsWithoutScrolling() {
      return this.list.scrollHeight <= this.list.clientHeight + 1;
    }

    /**
     * Inserts a message at its place by id; false when it is already shown or
     * has no valid id. `follow` keeps the view at the bottom when it was there.
     */
    add(msg, own, follow) {
      const id = idOf(msg && msg.id);
      if (id === null || this.ids.has(id)) return false;
      const stick = follow && this.isNearBottom();
      const el = makeBubble(msg, own);
      const order = this.order;
      if (!order.length || id > order[order.length - 1].id) {
        this.list.append(el);
        order.push({ id, el });
      } else {
        // Binary search for the first shown message with a larger id.
        let lo = 0;
        let hi = order.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (order[mid].id < id) lo = mid + 1;
          else hi = mid;
        }
        order[lo].el.before(el);
        order.splice(lo, 0, { id, el });
      }
      this.ids.add(id);
      if (stick || (own === true && follow)) this.scrollToBottom();
      return true;
    }

    /** Adds older messages above what is shown without moving what the user is looking at. */
    prepend(messages, isOwn) {
      const fromBottom = this.list.scrollHeight - this.list.scrollTop;
      let added = 0;
      for (const msg of messages) {
        if (this.add(msg, isOwn(msg), false)) added++;
      }
      this.list.scrollTop = this.list.scrollHeight - fromBottom;
      return added;
    }

    /** A join/leave/rename line, at the end. */
    addSystem(evt) {
      const stick = this.isNearBottom();
      const item = document.createElement('li');
      item.className = 'system';
      if (typeof evt.kind === 'string') item.dataset.kind = evt.kind;
      if (typeof evt.at === 'number') item.title = formatTime(toDate(evt.at));
      item.textContent = asText(evt.text);
      this.list.append(item);
      if (stick) this.scrollToBottom();
    }

    /** state: 'idle' | 'loading' | 'start' */
    setEdge(state) {
      this.edge.dataset.state = state;
      this.edge.textContent =
        state === 'loading' ? 'Loading older messages…' : state === 'start' ? 'This is the start of ' + this.name + '.' : '';
    }

    show() {
      this.list.hidden = false;
    }

    hide() {
      this.list.hidden = true;
    }
  }

  window.OpenChatTimeline = { Timeline, idOf, makeAvatar, makeSpan, asText };
})();
