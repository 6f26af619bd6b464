import { describe, expect, it } from 'vitest';
import { children, createSeq, del, fail, ok, op, open, verdict as check, type ZkOp } from './dsl.js';
import type { ZkModelOptions } from './index.js';

const Q: ZkModelOptions = { sequenceParents: ['/q'] };
const item = (n: number): string => `item-${String(n).padStart(10, '0')}`;
const made = (n: number) => ok({ path: `/q/${item(n)}` });
const listed = (...ns: number[]) => ok({ children: ns.map(item) });

const verdict = (history: readonly ZkOp[], options: ZkModelOptions = Q): string => check(history, options);

describe('sequential create: counters', () => {
  it('strictly increase in order, with gaps allowed (other changes bump cversion too)', () => {
    expect(verdict([op(1, 0, 10, createSeq('/q/item-'), made(0)), op(2, 20, 30, createSeq('/q/item-'), made(7))])).toBe('linearizable');
  });

  it('a reused sequence number is a violation, even from concurrent creates', () => {
    expect(verdict([op(1, 0, 10, createSeq('/q/item-'), made(3)), op(2, 20, 30, createSeq('/q/item-'), made(3))])).toBe('violation');
    expect(verdict([op(1, 0, 30, createSeq('/q/item-'), made(3)), op(2, 0, 30, createSeq('/q/item-'), made(3))])).toBe('violation');
  });

  it('a number reused after its child was deleted is a violation', () => {
    expect(verdict([
      op(1, 0, 10, createSeq('/q/item-'), made(3)),
      op(1, 20, 30, del(`/q/${item(3)}`), ok()),
      op(1, 40, 50, createSeq('/q/item-'), made(3)),
    ])).toBe('violation');
  });

  it('a smaller number after a completed create is a violation; concurrent creates may finish in either order', () => {
    expect(verdict([op(1, 0, 10, createSeq('/q/item-'), made(5)), op(2, 20, 30, createSeq('/q/item-'), made(4))])).toBe('violation');
    expect(verdict([op(1, 0, 30, createSeq('/q/item-'), made(5)), op(2, 5, 25, createSeq('/q/item-'), made(4))])).toBe('linearizable');
  });

  it('a name without the prefix or the 10 digits is a violation', () => {
    expect(verdict([op(1, 0, 10, createSeq('/q/item-'), ok({ path: '/q/other-0000000001' }))])).toBe('violation');
    expect(verdict([op(1, 0, 10, createSeq('/q/item-'), ok({ path: '/q/item-1' }))])).toBe('violation');
  });

  it('counters go on after the children already there', () => {
    const options = { sequenceParents: ['/q'], initial: { [`/q/${item(9)}`]: { data: '' } } };
    expect(verdict([op(1, 0, 10, createSeq('/q/item-'), made(9))], options)).toBe('violation');
    expect(verdict([op(1, 0, 10, createSeq('/q/item-'), made(10)), op(1, 11, 12, children('/q'), listed(9, 10))], options)).toBe('linearizable');
  });
});

describe('sequential create: getChildren and delete', () => {
  const two = [op(1, 0, 10, createSeq('/q/item-'), made(0)), op(2, 0, 10, createSeq('/q/item-'), made(1))];

  it('getChildren returns exactly the children, in any order', () => {
    expect(verdict([...two, op(3, 20, 30, children('/q'), ok({ children: [item(1), item(0)] }))])).toBe('linearizable');
    expect(verdict([...two, op(3, 20, 30, children('/q'), listed(0))])).toBe('violation');
    expect(verdict([...two, op(3, 20, 30, children('/q'), listed(0, 1, 2))])).toBe('violation');
    // Overlapping the creates it may see the first alone, never the second alone (counters follow the order).
    expect(verdict([...two, op(3, 5, 30, children('/q'), listed(0))])).toBe('linearizable');
    expect(verdict([...two, op(3, 5, 30, children('/q'), listed(1))])).toBe('violation');
  });

  it('a deleted child is gone; deleting it again is NoNode', () => {
    const gone = op(3, 20, 30, del(`/q/${item(0)}`), ok());
    expect(verdict([...two, gone, op(3, 40, 50, children('/q'), listed(1))])).toBe('linearizable');
    expect(verdict([...two, gone, op(3, 40, 50, children('/q'), listed(0, 1))])).toBe('violation');
    expect(verdict([...two, gone, op(3, 40, 50, del(`/q/${item(0)}`), fail('NoNode'))])).toBe('linearizable');
    expect(verdict([...two, gone, op(3, 40, 50, del(`/q/${item(0)}`), ok())])).toBe('violation');
    expect(verdict([...two, op(3, 20, 30, del(`/q/${item(1)}`), fail('NoNode'))])).toBe('violation');
  });
});

describe('sequential create: creates that got no reply', () => {
  const lost = open(1, 0, createSeq('/q/item-'));

  it('must be assumed to have happened when getChildren shows an extra child', () => {
    expect(verdict([lost, op(2, 20, 30, children('/q'), listed(4))])).toBe('linearizable');
    expect(verdict([lost, op(2, 20, 30, children('/q'), listed(4)), op(2, 40, 50, children('/q'), listed())])).toBe('violation');
  });

  it('explain one unseen child each, never two', () => {
    expect(verdict([lost, op(2, 20, 30, children('/q'), listed(4, 5))])).toBe('violation');
    expect(verdict([lost, open(3, 0, createSeq('/q/item-')), op(2, 20, 30, children('/q'), listed(4, 5))])).toBe('linearizable');
  });

  it('need not have happened', () => {
    expect(verdict([lost, op(2, 20, 30, children('/q'), listed())])).toBe('linearizable');
  });

  it('take a counter above every counter issued before their call', () => {
    const before = op(2, 0, 10, createSeq('/q/item-'), made(5));
    const late = open(1, 20, createSeq('/q/item-'));
    expect(verdict([before, late, op(2, 30, 40, children('/q'), listed(3, 5))])).toBe('violation');
    expect(verdict([before, late, op(2, 30, 40, children('/q'), listed(5, 6))])).toBe('linearizable');
    // Called before the other create: it may have come first, with a smaller counter.
    expect(verdict([lost, before, op(2, 30, 40, children('/q'), listed(3, 5))])).toBe('linearizable');
  });

  it('push later counters up even while unnamed', () => {
    const after = op(2, 20, 30, createSeq('/q/item-'), made(1));
    expect(verdict([open(1, 0, createSeq('/q/item-')), op(3, 1, 2, createSeq('/q/item-'), made(0)), op(3, 3, 4, children('/q'), listed(0, 1)), after]))
      .toBe('violation');
  });

  it('an unseen child may be named by a delete', () => {
    expect(verdict([lost, op(2, 20, 30, del(`/q/${item(4)}`), ok()), op(2, 40, 50, children('/q'), listed())])).toBe('linearizable');
    expect(verdict([op(2, 20, 30, del(`/q/${item(4)}`), ok())])).toBe('violation');
  });
});
