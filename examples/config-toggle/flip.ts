import { ConfigCenter } from '@paddock/registry';

// Sets the examples/shout toggle: to the value given, or to the opposite of what it is now.
// Usage: node examples/dist/config-toggle/flip.js [connect-string] [true|false]

const VALUES: Readonly<Record<string, boolean>> = { true: true, false: false };

async function main(connectString: string, wanted: string | undefined): Promise<void> {
  if (wanted !== undefined && !(wanted in VALUES)) throw new Error(`the value must be true or false, got ${JSON.stringify(wanted)}`);
  const center = await ConfigCenter.connect(connectString, { connectTimeout: 5000 });
  try {
    const now = await center.get('examples', 'shout');
    const next = wanted === undefined ? now !== true : VALUES[wanted] === true;
    await center.set('examples', 'shout', next);
    console.log(`examples/shout: ${JSON.stringify(now ?? null)} -> ${next}`);
  } finally {
    await center.close();
  }
}

try {
  await main(process.argv[2] ?? '127.0.0.1:2181', process.argv[3]);
} catch (err) {
  console.error(`flip: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
