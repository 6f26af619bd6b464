import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';

// Each case was checked against zkCli.sh 3.8 (what `create /x <rest>` then `get /x` printed).
describe('tokenize', () => {
  it('splits on runs of blanks and tabs, ignoring them at both ends', () => {
    expect(tokenize('get   /t    ')).toEqual(['get', '/t']);
    expect(tokenize('\tget\t/t')).toEqual(['get', '/t']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   ')).toEqual([]);
  });

  it('keeps quoted text with blanks as one word, without the quotes', () => {
    expect(tokenize('create /x "hello world"')).toEqual(['create', '/x', 'hello world']);
    expect(tokenize("create /x 'a b'")).toEqual(['create', '/x', 'a b']);
    expect(tokenize('create /x ""')).toEqual(['create', '/x', '']);
    expect(tokenize(`create /x 'it"s'`)).toEqual(['create', '/x', 'it"s']);
  });

  it('ends a quoted word at its closing quote, even inside what looks like one word', () => {
    expect(tokenize('create /x "a"b')).toEqual(['create', '/x', 'a', 'b']);
  });

  it('treats quotes inside an unquoted word as ordinary characters', () => {
    expect(tokenize('create /x a"b c"')).toEqual(['create', '/x', 'a"b', 'c"']);
    expect(tokenize("set /x it's")).toEqual(['set', '/x', "it's"]);
  });

  it('drops an opening quote that is never closed', () => {
    expect(tokenize('create /x "abc')).toEqual(['create', '/x', 'abc']);
    expect(tokenize("create /x 'a b")).toEqual(['create', '/x', 'a', 'b']);
  });
});
