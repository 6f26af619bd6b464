import { EventType, KeeperState, type Stat } from '../index.js';

/** Output laid out as zkCli 3.8 prints it. */

/** `0x` and the 64-bit two's-complement hex of a long, as Java's Long.toHexString. */
export function hexLong(v: number | bigint): string {
  return `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
}

/** The Stat block of `get -s`, `stat`, `ls -s`, `set -s`, `getAcl -s`, `setAcl -s`. */
export function formatStat(s: Stat): string {
  return [
    `cZxid = ${hexLong(s.czxid)}`,
    `ctime = ${javaDate(s.ctime)}`,
    `mZxid = ${hexLong(s.mzxid)}`,
    `mtime = ${javaDate(s.mtime)}`,
    `pZxid = ${hexLong(s.pzxid)}`,
    `cversion = ${s.cversion}`,
    `dataVersion = ${s.version}`,
    `aclVersion = ${s.aversion}`,
    `ephemeralOwner = ${hexLong(s.ephemeralOwner)}`,
    `dataLength = ${s.dataLength}`,
    `numChildren = ${s.numChildren}`,
  ].join('\n') + '\n';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Java's Date.toString() in the local time zone: `Sun Nov 22 00:10:05 UTC 2026`. The zone is
 * the short name a US-English locale knows (UTC, EST), else a British one (CET, BST), else
 * `GMT+05:30` as Java writes zones it has no name for.
 */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ${time} ${zoneName(d)} ${d.getFullYear()}`;
}

const ZONE_LOCALES = ['en-US', 'en-GB'];

function zoneName(d: Date): string {
  // Formatters are made per call: they fix the zone when made, and TZ may change at run time.
  for (const locale of ZONE_LOCALES) {
    const parts = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(d);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value;
    if (name && !/^GMT[+-]/.test(name)) return name;
  }
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `GMT${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** A Java List's toString: `[a, b]`. */
export function javaList(items: readonly (string | number)[]): string {
  return `[${items.join(', ')}]`;
}

const EVENT_NAMES = new Map<number, string>(Object.entries(EventType).map(([name, v]) => [v, name]));
const STATE_NAMES = new Map<number, string>(Object.entries(KeeperState).map(([name, v]) => [v, name]));

/** What zkCli's watcher prints for an event (WatchedEvent.toString after a WATCHER:: line). */
export function formatEvent(state: number, type: number, path: string | null): string {
  const stateName = STATE_NAMES.get(state) ?? `Unknown(${state})`;
  const typeName = EVENT_NAMES.get(type) ?? `Unknown(${type})`;
  return `\nWATCHER::\n\nWatchedEvent state:${stateName} type:${typeName} path:${path ?? 'null'}\n`;
}
