import { afterAll, describe, expect, it } from 'vitest';
import { ConsumerProject } from '../support/consumer-project.js';

// A user's project compiles `@Service` and `@Method` with whatever decorators its tsconfig
// picks: TypeScript 5's standard decorators (the default) or the legacy experimentalDecorators,
// with or without emitDecoratorMetadata. Each setting compiles the same consumer project, in a
// temporary directory, with the repository's tsc against the built @paddock/rpc (the global
// setup has run `tsc -b`), and runs it: the definitions must come out the same.

const CONSUMER = `import { Method, RpcServer, Service, serviceDefinition } from '@paddock/rpc';

@Service({ version: '1.0.0', methods: [{ name: 'hello', idempotent: true }, 'bye'] })
export abstract class Greeter {
  abstract hello(name: string): Promise<string>;
  abstract bye(): Promise<void>;
}

@Service({ name: 'Clock', version: '2.0.0', group: 'time' })
export class Clock {
  @Method({ idempotent: true, timeout: 200 })
  async now(): Promise<number> {
    return Date.now();
  }

  async plain(): Promise<string> {
    return 'plain';
  }
}

class GreeterImpl extends Greeter {
  async hello(name: string): Promise<string> {
    return 'hi ' + name;
  }
  async bye(): Promise<void> {}
}

/** What a decorator refused, or null. */
function refusal(define: () => unknown): string | null {
  try {
    define();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const show = (c: abstract new (...args: never[]) => object) => {
  const d = serviceDefinition(c);
  return { name: d.name, version: d.version, group: d.group, declaredOn: d.declaredOn, methods: [...d.methods.values()] };
};

const stray = refusal(() => {
  @Service({ version: '1.0.0', methods: ['a'] })
  class Stray {
    async a(): Promise<void> {}
    @Method({})
    async b(): Promise<void> {}
  }
  return Stray;
});
const badTimeout = refusal(() => {
  class Slow {
    @Method({ timeout: 0 })
    async m(): Promise<void> {}
  }
  return Slow;
});

console.log(JSON.stringify({
  greeter: show(Greeter), clock: show(Clock), impl: show(GreeterImpl), stray, badTimeout,
  exportable: typeof RpcServer.start === 'function',
}));
`;

const MODES: Readonly<Record<string, Readonly<Record<string, boolean>>>> = {
  'standard decorators (TypeScript 5 default)': {},
  'experimentalDecorators': { experimentalDecorators: true },
  'experimentalDecorators with emitDecoratorMetadata': { experimentalDecorators: true, emitDecoratorMetadata: true },
};

const EXPECTED = {
  greeter: {
    name: 'Greeter', version: '1.0.0', group: 'default', declaredOn: 'Greeter',
    methods: [{ name: 'hello', idempotent: true }, { name: 'bye', idempotent: false }],
  },
  clock: {
    name: 'Clock', version: '2.0.0', group: 'time', declaredOn: 'Clock',
    methods: [{ name: 'now', idempotent: true, timeout: 200 }, { name: 'plain', idempotent: false }],
  },
  impl: {
    name: 'Greeter', version: '1.0.0', group: 'default', declaredOn: 'Greeter',
    methods: [{ name: 'hello', idempotent: true }, { name: 'bye', idempotent: false }],
  },
  stray: '@Service on Stray: b has @Method but is not in the methods list',
  badTimeout: expect.stringMatching(/m: timeout must be an integer number of ms in 1\.\.2147483647, got 0$/),
  exportable: true,
};

const projects: ConsumerProject[] = [];
afterAll(() => {
  for (const p of projects.splice(0)) p.remove();
});

describe('@Service and @Method in a consumer project', () => {
  it.each(Object.entries(MODES))('%s: type-checks, compiles and records the same definitions', async (_mode, flags) => {
    const project = ConsumerProject.create({ 'consumer.ts': CONSUMER }, flags);
    projects.push(project);
    expect(await project.compile()).toBe('');
    expect(JSON.parse(await project.run('consumer.ts'))).toEqual(EXPECTED);
  }, 60_000);
});
