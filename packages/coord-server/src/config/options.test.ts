import { describe, expect, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import { resolveOptions, type CoordServerOptions } from './options.js';

describe('server options', () => {
  it('fills ZooKeeper defaults: session timeouts 2 and 20 ticks', () => {
    const o = resolveOptions({ tickTime: 100 });
    expect(o).toMatchObject({ host: '127.0.0.1', port: 2181, dataDir: './data', minSessionTimeout: 200, maxSessionTimeout: 2000, serverId: 1 });
  });

  it.each([
    [{ tickTime: 0 }, /tickTime must be an integer in 1\.\.\d+, got 0/],
    [{ port: 70000 }, /port .* got 70000/],
    [{ serverId: 255 }, /serverId .* got 255/],
    [{ minSessionTimeout: 5000, maxSessionTimeout: 4000 }, /minSessionTimeout \(5000\) must not exceed maxSessionTimeout \(4000\)/],
    [{ dataDir: '' }, /dataDir must be a non-empty path/],
  ])('rejects %j naming the bad value', (opts, msg) => {
    expect(() => resolveOptions(opts)).toThrow(msg);
  });

  it.each([
    [{ tickTime: 0 }, 'tickTime', 0],
    [{ host: '' }, 'host', ''],
    [{ dataDir: '' }, 'dataDir', ''],
    [{ fourLetterWords: ['ruok', 'nope'] }, 'fourLetterWords', 'nope'],
    [{ superDigest: 'nocolon' }, 'superDigest', 'nocolon'],
    [{ minSessionTimeout: 5000, maxSessionTimeout: 4000 }, 'minSessionTimeout', 5000],
  ])('rejects %j with the one option error, a TypeError carrying the option and the value', (opts, option, value) => {
    const err = (() => { try { resolveOptions(opts as CoordServerOptions); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(OptionError);
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ code: OPTION_ERROR_CODE, option, value });
  });
});
