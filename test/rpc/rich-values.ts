/** Values both transports must carry intact, with the constructor name the provider must see. */
export const RICH_VALUES: [string, unknown, string][] = [
  ['Date', new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 678)), 'Date'],
  ['Map with non-string keys', new Map<unknown, unknown>([[1, 'one'], ['two', 2], [true, [3]]]), 'Map'],
  ['Set', new Set(['a', 1, 2n]), 'Set'],
  ['Buffer', Buffer.from([0, 1, 2, 250, 255]), 'Buffer'],
  ['Uint8Array', new Uint8Array([9, 8, 7]), 'Uint8Array'],
  ['small BigInt', 42n, 'BigInt'],
  ['64-bit BigInt', -(2n ** 63n), 'BigInt'],
  ['huge BigInt', 2n ** 300n + 7n, 'BigInt'],
];
