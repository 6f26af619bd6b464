import { describe, expect, expectTypeOf, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import type { Contract, RpcProxy } from './contract-types.js';
import { Method, Service, findServiceDefinition, serviceDefinition } from './service.js';

// Unit tests beside the sources run without a tsconfig that enables decorator syntax, so the
// decorators are applied as the functions they are; test/rpc uses the syntax.
function decorateMethod(cls: { prototype: object }, name: string, options: Parameters<typeof Method>[0]): void {
  Method(options)(cls.prototype, name, Object.getOwnPropertyDescriptor(cls.prototype, name) as PropertyDescriptor);
}

abstract class Greeter {
  abstract hello(name: string): Promise<string>;
  abstract bye(): Promise<void>;
}
Service({ name: 'Greeter', version: '1.2.0', methods: ['hello', { name: 'bye', idempotent: true, timeout: 500 }] })(Greeter);

describe('@Service on an abstract contract', () => {
  it('records name, version, group and the listed methods with their options', () => {
    const def = serviceDefinition(Greeter);
    expect(def).toMatchObject({ name: 'Greeter', version: '1.2.0', group: 'default', declaredOn: 'Greeter' });
    expect([...def.methods.values()]).toEqual([
      { name: 'hello', idempotent: false, timeout: undefined },
      { name: 'bye', idempotent: true, timeout: 500 },
    ]);
  });

  it('is found from an implementation extending the contract', () => {
    class GreeterImpl extends Greeter {
      async hello(n: string): Promise<string> {
        return `hi ${n}`;
      }
      async bye(): Promise<void> {}
    }
    expect(findServiceDefinition(new GreeterImpl())).toBe(serviceDefinition(Greeter));
    expect(serviceDefinition(GreeterImpl)).toBe(serviceDefinition(Greeter));
  });

  it('requires a methods list: abstract methods leave nothing to find', () => {
    abstract class Silent {
      abstract hello(): Promise<string>;
    }
    expect(() => Service({ version: '1.0.0' })(Silent)).toThrow(/@Service on Silent: no methods found; abstract methods leave no trace at runtime/);
  });
});

describe('@Service on an implementation', () => {
  it('takes its own prototype methods, with @Method options, and defaults the name to the class', () => {
    class Calculator {
      async add(a: number, b: number): Promise<number> {
        return a + b;
      }
      async slow(): Promise<void> {}
      get notAMethod(): number {
        return 1;
      }
    }
    decorateMethod(Calculator, 'slow', { timeout: 30_000, idempotent: true });
    Service({ version: '2.0.0', group: 'math' })(Calculator);
    const def = serviceDefinition(Calculator);
    expect(def).toMatchObject({ name: 'Calculator', version: '2.0.0', group: 'math' });
    expect([...def.methods.keys()]).toEqual(['add', 'slow']);
    expect(def.methods.get('slow')).toEqual({ name: 'slow', idempotent: true, timeout: 30_000 });
  });

  it('lets a methods list and @Method combine, and refuses @Method on an unlisted method', () => {
    class Listed {
      async a(): Promise<void> {}
      async b(): Promise<void> {}
    }
    decorateMethod(Listed, 'a', { idempotent: true });
    Service({ version: '1.0.0', methods: [{ name: 'a', timeout: 10 }] })(Listed);
    expect(serviceDefinition(Listed).methods.get('a')).toEqual({ name: 'a', idempotent: true, timeout: 10 });

    class Stray {
      async a(): Promise<void> {}
      async b(): Promise<void> {}
    }
    decorateMethod(Stray, 'b', {});
    expect(() => Service({ version: '1.0.0', methods: ['a'] })(Stray)).toThrow(/b has @Method but is not in the methods list/);
  });
});

describe('validation, when the class is defined', () => {
  class X {
    async m(): Promise<void> {}
  }
  it.each([
    [{ version: 'one' }, /version/],
    [{ version: '1.0' }, /version/],
    [{ version: '1.0.0', name: 'bad name' }, /service name/],
    [{ version: '1.0.0', group: 'a,b' }, /group/],
    [{ version: '1.0.0', methods: [] }, /non-empty array/],
    [{ version: '1.0.0', methods: ['a', 'a'] }, /listed twice/],
    [{ version: '1.0.0', methods: ['not-an-identifier'] }, /identifier/],
    [{ version: '1.0.0', methods: ['then'] }, /may not be called then/],
    [{ version: '1.0.0', methods: [{ name: 'm', timeout: 0 }] }, /timeout must be an integer/],
    [{ version: '1.0.0', methods: [{ name: 'm', idempotent: 'yes' }] }, /idempotent must be a boolean/],
  ])('refuses %j', (options, message) => {
    expect(() => Service(options as Parameters<typeof Service>[0])(X)).toThrow(message);
  });

  it('refuses @Method on a non-method', () => {
    class G {
      get x(): number {
        return 1;
      }
    }
    expect(() => Method({})(G.prototype, 'x', Object.getOwnPropertyDescriptor(G.prototype, 'x') as PropertyDescriptor)).toThrow(/only methods/);
  });

  it('names a class without @Service', () => {
    class Plain {}
    expect(() => serviceDefinition(Plain)).toThrow('Plain has no @Service');
    expect(findServiceDefinition(new Plain())).toBeUndefined();
  });
});

describe('standard decorators (TypeScript 5\'s default), applied as TypeScript applies them', () => {
  /** The context a standard method decorator receives; only kind and name are read. */
  const methodContext = (name: string, kind = 'method'): ClassMethodDecoratorContext => ({ kind, name, static: false, private: false } as unknown as ClassMethodDecoratorContext);
  const classContext = (name: string): ClassDecoratorContext => ({ kind: 'class', name } as unknown as ClassDecoratorContext);

  it('takes @Method\'s options from the method itself and checks them against the list', () => {
    class Standard {
      async a(): Promise<void> {}
      async b(): Promise<void> {}
    }
    Method({ idempotent: true, timeout: 7 })(Standard.prototype.a, methodContext('a'));
    Service({ version: '1.0.0' })(Standard, classContext('Standard'));
    expect([...serviceDefinition(Standard).methods.values()]).toEqual([
      { name: 'a', idempotent: true, timeout: 7 },
      { name: 'b', idempotent: false, timeout: undefined },
    ]);

    class Stray {
      async a(): Promise<void> {}
      async b(): Promise<void> {}
    }
    Method({})(Stray.prototype.b, methodContext('b'));
    expect(() => Service({ version: '1.0.0', methods: ['a'] })(Stray, classContext('Stray'))).toThrow(/b has @Method but is not in the methods list/);
  });

  it('refuses what is not a method, and bad options, naming the member', () => {
    const getter = (): number => 1;
    expect(() => Method({})(getter, methodContext('x', 'getter'))).toThrow('@Method on x: only methods can be decorated');
    expect(() => Method({ timeout: -1 })(getter, methodContext('m'))).toThrow(/^m: timeout must be an integer/);
  });

  it('a bad option is an OptionError naming the option and the value', () => {
    abstract class Bad {
      abstract a(): Promise<void>;
    }
    for (const [options, option, value] of [
      [{ version: '1.0', methods: ['a'] }, 'version', '1.0'],
      [{ version: '1.0.0', name: 'a/b', methods: ['a'] }, 'name', 'a/b'],
      [{ version: '1.0.0', methods: [] }, 'methods', []],
      [{ version: '1.0.0', methods: [{ name: 'a', timeout: 0 }] }, 'timeout', 0],
      [{ version: '1.0.0', methods: [{ name: 'a', idempotent: 'yes' }] }, 'idempotent', 'yes'],
    ] as const) {
      let err: unknown;
      try {
        Service(options as Parameters<typeof Service>[0])(Bad);
      } catch (e) {
        err = e;
      }
      expect(err, option).toBeInstanceOf(OptionError);
      expect(err, option).toMatchObject({ code: OPTION_ERROR_CODE, option, value });
    }
  });
});

describe('RpcProxy<T>', () => {
  it('turns every method into a Promise-returning one with the same arguments and drops other members', () => {
    abstract class Shape {
      abstract name: string;
      abstract area(scale: number, unit?: string): Promise<number>;
      abstract sync(flag: boolean): string;
      abstract nested(): Promise<Promise<Date>>;
    }
    type P = RpcProxy<Shape>;
    expectTypeOf<P>().toEqualTypeOf<{
      readonly area: (scale: number, unit?: string) => Promise<number>;
      readonly sync: (flag: boolean) => Promise<string>;
      readonly nested: () => Promise<Date>;
    }>();
    expectTypeOf<Contract<Shape>>().toMatchTypeOf<abstract new (...args: never[]) => Shape>();
  });
});
