import { ConfigCenter } from '@paddock/registry';

// A program whose behaviour follows a config-center toggle live: it greets every half second,
// plainly while examples/shout is false (or missing), loudly while it is true. Flip it from
// another terminal with `node examples/dist/config-toggle/flip.js` (or
// `npx registry --server 127.0.0.1:2181 config set examples shout true`); the next greeting
// changes, no restart. Ends after it has seen the toggle change twice, or after a minute.
// Usage: node examples/dist/config-toggle/app.js [connect-string]   (default 127.0.0.1:2181)

const GREET_EVERY_MS = 500;
const CHANGES_TO_SEE = 2;
const RUN_AT_MOST_MS = 60_000;

async function main(connectString: string): Promise<void> {
  const center = await ConfigCenter.connect(connectString, { connectTimeout: 5000 });
  try {
    // A live boolean: false while the key is missing; every write to it is seen through a watch.
    const shout = await center.toggle('examples', 'shout', false);
    const greet = (name: string): string => (shout.value ? `HELLO, ${name.toUpperCase()}!` : `hello, ${name}`);
    console.log(`toggle examples/shout is ${shout.value}; flip it with: node examples/dist/config-toggle/flip.js ${connectString}`);
    await new Promise<void>((resolve) => {
      let changes = 0;
      const timer = setInterval(() => console.log(greet('ada')), GREET_EVERY_MS);
      const giveUp = setTimeout(() => {
        console.log(`no more changes within ${RUN_AT_MOST_MS / 1000} s; stopping`);
        done();
      }, RUN_AT_MOST_MS);
      const done = (): void => {
        clearInterval(timer);
        clearTimeout(giveUp);
        shout.close();
        resolve();
      };
      shout.on('change', (value, previous) => {
        console.log(`toggle examples/shout changed: ${previous} -> ${value}`);
        console.log(greet('ada'));
        if (++changes === CHANGES_TO_SEE) done();
      });
    });
  } finally {
    await center.close();
  }
}

try {
  await main(process.argv[2] ?? '127.0.0.1:2181');
} catch (err) {
  console.error(`config-toggle: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
