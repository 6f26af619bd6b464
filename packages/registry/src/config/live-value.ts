import { EventEmitter } from 'node:events';
import type { ConfigListener, ConfigUpdate } from './config-update.js';
import { ConfigValueError, type JsonValue } from './config-value.js';

export type LiveValueEvents<T> = {
  /** The value changed (a write, a delete back to the default, a new session's read). */
  change: [value: T, previous: T];
  /** The key holds data that is not JSON, or JSON of the wrong type; the value stays as it was. */
  invalid: [error: ConfigValueError];
  /** The key could not be read (e.g. NoAuth); the value stays as it was. */
  failed: [error: Error];
};

/**
 * A config key kept current in memory: `value` is always the latest good value (the default
 * while the key does not exist). Bad data never replaces a good value; it is reported.
 */
export class LiveValue<T extends JsonValue> extends EventEmitter<LiveValueEvents<T>> {
  private current: T;
  private stop: (() => void) | null = null;

  /** Built by ConfigCenter.toggle, which feeds `listener` from a watch and hands over its close. */
  constructor(
    readonly namespace: string,
    readonly key: string,
    readonly defaultValue: T,
    private readonly accepts: (value: JsonValue) => value is T,
    private readonly typeName: string,
  ) {
    super();
    this.current = defaultValue;
  }

  get value(): T {
    return this.current;
  }

  /** The listener a ConfigCenter watch calls. */
  readonly listener: ConfigListener = (u) => this.apply(u);

  /** Called once by ConfigCenter with what stops the watch. */
  attach(stop: () => void): void {
    this.stop = stop;
  }

  /** Stops following the key; `value` keeps the last value. */
  close(): void {
    this.stop?.();
    this.stop = null;
  }

  private apply(u: ConfigUpdate): void {
    if (u.kind === 'failed') {
      this.emit('failed', u.error);
    } else if (u.kind === 'invalid') {
      this.emit('invalid', u.error);
    } else if (u.kind === 'missing') {
      this.set(this.defaultValue);
    } else if (this.accepts(u.value)) {
      this.set(u.value);
    } else {
      const raw = Buffer.from(JSON.stringify(u.value));
      this.emit('invalid', new ConfigValueError(u.namespace, u.key, raw, `expected a ${this.typeName}`));
    }
  }

  private set(next: T): void {
    const previous = this.current;
    if (Object.is(next, previous)) return;
    this.current = next;
    this.emit('change', next, previous);
  }
}

/** A live boolean: a feature switch consumers read without restarting. */
export type Toggle = LiveValue<boolean>;

export const isBoolean = (v: JsonValue): v is boolean => typeof v === 'boolean';
