// The live connection: SignalR pushes each notification as it is stored; after any gap (a reconnect, a sleeping
// laptop) the inbox is asked for everything after the newest id it has answered with. Ids increase per user in commit
// order, so that misses nothing, and remembering the ids seen delivers each notification once. Pushes do not move the
// mark: they can overtake each other (two workers publish them, a redelivered event is pushed again), and a pushed
// id must not hide an earlier one whose push was lost with the server that held it.

import { api, session } from "./api.js";

const RETRY_CAP_MS = 10_000;

export class LiveFeed {
  #connection = null;
  #readUpTo = 0;
  #seen = new Set();
  // Ids at or below the floor were all seen; only the ids above it need remembering.
  #floor = 0;
  #stopped = false;
  #restartTimer = 0;

  /**
   * @param {(notification: object, live: boolean) => void} onNotification
   * @param {(state: "connecting" | "online" | "reconnecting" | "offline") => void} onState
   */
  constructor(onNotification, onState) {
    this.onNotification = onNotification;
    this.onState = onState;
  }

  /** Starts from the newest notification the inbox holds: older ones are not news to an opening page. */
  async start(lastId) {
    this.#readUpTo = lastId;
    this.#stopped = false;
    this.#connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/notifications", { accessTokenFactory: () => session.token() ?? "" })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(500 * 2 ** ctx.previousRetryCount, RETRY_CAP_MS) })
      .configureLogging(signalR.LogLevel.None)
      .build();
    this.#connection.on("notification", (n) => this.#deliver(n, true));
    this.#connection.onreconnecting(() => this.onState("reconnecting"));
    this.#connection.onreconnected(() => this.#caughtUp());
    // Automatic reconnect gives up after its schedule; a page left open should come back whenever the server does.
    this.#connection.onclose(() => this.#scheduleRestart(RETRY_CAP_MS));
    await this.#open();
  }

  async stop() {
    this.#stopped = true;
    clearTimeout(this.#restartTimer);
    const connection = this.#connection;
    this.#connection = null;
    await connection?.stop();
    this.onState("offline");
  }

  async #open() {
    if (this.#stopped || !this.#connection) return;
    this.onState("connecting");
    try {
      await this.#connection.start();
      await this.#caughtUp();
    } catch {
      this.onState("reconnecting");
      this.#scheduleRestart(2_000);
    }
  }

  #scheduleRestart(delay) {
    if (this.#stopped) return;
    clearTimeout(this.#restartTimer);
    this.onState("reconnecting");
    this.#restartTimer = setTimeout(() => this.#open(), delay);
  }

  async #caughtUp() {
    // Pushes that arrive while catching up are delivered at once; the inbox pages then skip those already seen.
    try {
      for (;;) {
        const page = await api.inbox({ after: this.#readUpTo, limit: 100 });
        for (const n of page.items) this.#deliver(n, false);
        if (page.items.length > 0) this.#readUpTo = Math.max(this.#readUpTo, page.items[page.items.length - 1].id);
        if (!page.nextCursor || page.items.length === 0) break;
      }
      this.onState("online");
    } catch {
      // The connection is up but the inbox is not answering: try the whole round again shortly.
      this.#scheduleRestart(2_000);
    }
  }

  #deliver(n, live) {
    if (this.#seen.has(n.id) || n.id <= this.#floor) return;
    this.#seen.add(n.id);
    this.#trimSeen();
    this.onNotification(n, live);
  }

  #trimSeen() {
    if (this.#seen.size < 2_000) return;
    const ids = [...this.#seen].sort((a, b) => a - b);
    const keep = ids.slice(-1_000);
    this.#floor = keep[0] - 1;
    this.#seen = new Set(keep);
  }
}
