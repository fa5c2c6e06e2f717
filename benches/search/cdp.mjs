// A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`
// (no WebSocket, no npm package): enough to open pages, evaluate scripts
// and read results in Debian's headless Chromium.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHROME = process.env.CHROME || "/usr/bin/chromium";

export class Chrome {
  /** Launches a fresh headless Chromium with an empty profile (cold cache). */
  static launch() {
    const profile = mkdtempSync(join(tmpdir(), "rolebook-bench-"));
    const args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-extensions", "--disable-component-update", "--disable-background-networking",
      "--remote-debugging-pipe", `--user-data-dir=${profile}`, "about:blank"];
    // Its own process group, so closing ends its helper processes too.
    const child = spawn(CHROME, args, { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"], detached: true });
    return new Chrome(child, profile);
  }

  constructor(child, profile) {
    this.child = child;
    this.profile = profile;
    this.next = 1;
    this.pending = new Map();
    this.listeners = [];
    let buffer = "";
    child.stdio[4].setEncoding("utf8");
    child.stdio[4].on("data", (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\0")) >= 0) {
        const message = JSON.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        this.dispatch(message);
      }
    });
  }

  dispatch(message) {
    if (message.id && this.pending.has(message.id)) {
      const { resolve, reject } = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) reject(new Error(`${message.error.message} (${message.error.code})`));
      else resolve(message.result);
    } else if (message.method) {
      for (const listener of this.listeners) listener(message);
    }
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.next++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdio[3].write(message + "\0");
    });
  }

  /** A new tab, attached (flat session). */
  async page() {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await page.send("Page.enable");
    await page.send("Runtime.enable");
    return page;
  }

  async close() {
    try {
      await Promise.race([this.send("Browser.close"), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // already gone
    }
    const exited = new Promise((r) => (this.child.exitCode !== null ? r() : this.child.once("exit", r)));
    try {
      process.kill(-this.child.pid, "SIGTERM");
    } catch {
      // the group is gone already
    }
    await exited;
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // a helper still writing; the folder is in the temp dir
    }
  }
}

class Page {
  constructor(chrome, sessionId) {
    this.chrome = chrome;
    this.sessionId = sessionId;
  }

  send(method, params = {}) {
    return this.chrome.send(method, params, this.sessionId);
  }

  /** Navigates and waits for the load event. */
  async goto(url) {
    const loaded = new Promise((resolve) => {
      const listener = (m) => {
        if (m.sessionId === this.sessionId && m.method === "Page.loadEventFired") {
          this.chrome.listeners.splice(this.chrome.listeners.indexOf(listener), 1);
          resolve();
        }
      };
      this.chrome.listeners.push(listener);
    });
    await this.send("Page.navigate", { url });
    await loaded;
  }

  /** Evaluates an async function body in the page and returns its value. */
  async eval(body) {
    const expression = `(async () => { ${body} })()`;
    const { result, exceptionDetails } = await this.send("Runtime.evaluate",
      { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) {
      throw new Error(`${exceptionDetails.text} ${exceptionDetails.exception?.description || ""}`);
    }
    return result.value;
  }

  /** Polls `body` until it returns something other than null/undefined. */
  async waitFor(body, what, timeout = 60_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.eval(body);
      if (value !== null && value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
