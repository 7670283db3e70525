// A small typed event emitter: the SDK has no runtime dependencies, so no Node "events" either.

export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Calls `fn` every time `name` is emitted, until `off(name, fn)`. */
  on<K extends keyof Events>(name: K, fn: Listener<Events[K]>): this {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(fn as Listener<never>);
    return this;
  }

  off<K extends keyof Events>(name: K, fn: Listener<Events[K]>): this {
    this.listeners.get(name)?.delete(fn as Listener<never>);
    return this;
  }

  /** Removes every listener (of one event, or of all). */
  removeAllListeners(name?: keyof Events): this {
    if (name === undefined) this.listeners.clear();
    else this.listeners.delete(name);
    return this;
  }

  protected emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as Listener<Events[K]>)(payload);
      } catch (cause) {
        // A throwing listener must not break the call's audio or the other listeners;
        // rethrow outside so it still reaches the console / error reporting.
        queueMicrotask(() => {
          throw cause;
        });
      }
    }
  }
}
