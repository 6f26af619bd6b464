/**
 * Values printed the way ZooKeeper's Java code prints them, so tools that parse its text
 * output (four-letter words) read ours unchanged.
 */

/** Long.toHexString: two's complement for negatives (a session id, or -1 for "none"). */
export function hex64(n: number | bigint): string {
  return BigInt.asUintN(64, BigInt(n)).toString(16);
}

/**
 * An average as ZooKeeper reports it: rounded half-up to 4 decimals (AvgMinMaxCounter), then
 * Double.toString, which always shows a fraction ("2.0") and switches to E notation outside
 * [1e-3, 1e7).
 */
export function javaDouble(x: number): string {
  const r = Math.round(x * 10_000) / 10_000;
  if (r === 0) return '0.0';
  const a = Math.abs(r);
  if (a >= 1e-3 && a < 1e7) return Number.isInteger(r) ? `${r}.0` : String(r);
  const [mantissa, exp] = r.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exp.replace('+', '')}`;
}

export function roundedAverage(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** java.util.Date#toString in UTC: "Sun Nov 22 00:21:20 UTC 2026". */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}
