import {
  abs, addWatch, check, checkWatches, create, create2, createContainer, createTTL, del, exists, getACL,
  getAllChildrenNumber, getChildren, getChildren2, getData, getEphemerals, multi, m, open, OPEN_ACL, ping, removeWatches,
  setACL, setData, sync, scenario, type P, type Scenario, type Step,
} from '../steps.js';

/** Invalid by ZooKeeper's path rules, each for a different reason. */
const BAD: P[] = [
  abs(''), abs('no-slash'), abs('/trailing/'), abs('//double'), abs('/a//b'), abs('/a/./b'), abs('/a/../b'),
  abs('/.'), abs('/..'), abs('/nul\u0000char'), abs('/ctl\u0001char'), abs('/del\u007fchar'), abs('/c1\u0085char'),
  abs('/bmp\ue000private'), abs('/spec\ufff0ial'),
];

const each = (f: (p: P) => Step): Step[] => BAD.map(f);
/** Invalid paths inside the scenario root (relative to it). */
const UNDER_ROOT: P[] = ['/trailing/', '//double', '/a//b', '/.', '/..', '/x/./y', '/ctl\u0001'];

export const scenarios: Scenario[] = [
  scenario('create with invalid paths', [open('s1'), ...each((p) => create('s1', p)), ping('s1')]),
  scenario('create2 and createContainer with invalid paths', [
    open('s1'), ...BAD.slice(0, 8).flatMap((p) => [create2('s1', p), createContainer('s1', p)]), ping('s1'),
  ]),
  // Under the scenario root: a sequential create may turn an invalid path into a valid one.
  scenario('createTTL and sequential create with invalid paths', [
    open('s1'),
    ...UNDER_ROOT.flatMap((p) => [createTTL('s1', p, 1000), create('s1', p, '', { mode: 'PERSISTENT_SEQUENTIAL' })]),
    getChildren('s1', ''),
  ]),
  scenario('create with invalid paths under an existing parent', [
    open('s1'),
    create('s1', '/p'),
    ...['/p/', '/p/.', '/p/..', '/p//', '/p/\u0001', '/p/a\u0000'].map((p) => create('s1', p)),
    ...['/p/', '/p/.', '/p/..'].map((p) => create('s1', p, '', { mode: 'EPHEMERAL_SEQUENTIAL' })),
    getChildren('s1', '/p'),
  ]),
  scenario('delete with invalid paths', [open('s1'), ...each((p) => del('s1', p)), ping('s1')]),
  scenario('setData with invalid paths', [open('s1'), ...each((p) => setData('s1', p, 'x')), ping('s1')]),
  scenario('getData and exists with invalid paths', [
    open('s1'), ...BAD.flatMap((p) => [getData('s1', p), exists('s1', p)]),
  ]),
  scenario('watches set with invalid paths', [
    open('s1'), ...BAD.slice(0, 6).flatMap((p) => [getData('s1', p, true), exists('s1', p, true), getChildren('s1', p, true)]),
    ping('s1'),
  ]),
  scenario('getChildren with invalid paths', [
    open('s1'), ...BAD.flatMap((p) => [getChildren('s1', p), getChildren2('s1', p)]),
  ]),
  scenario('ACL ops with invalid paths', [
    open('s1'), ...BAD.slice(0, 8).flatMap((p) => [getACL('s1', p), setACL('s1', p, OPEN_ACL)]), ping('s1'),
  ]),
  scenario('check, sync and counts with invalid paths', [
    open('s1'),
    ...BAD.slice(0, 8).flatMap((p) => [check('s1', p, 0), sync('s1', p), getAllChildrenNumber('s1', p), getEphemerals('s1', p)]),
    ping('s1'),
  ]),
  scenario('watch management with invalid paths', [
    open('s1'),
    ...BAD.slice(0, 8).flatMap((p) => [addWatch('s1', p, 'PERSISTENT'), checkWatches('s1', p, 'Any'), removeWatches('s1', p, 'Any')]),
    ping('s1'),
  ]),
  scenario('multi ops with invalid paths', [
    open('s1'),
    multi('s1', m.create(abs('/a/../b'))),
    multi('s1', m.setData(abs(''), 'x')),
    multi('s1', m.check(abs('x'), 0)),
    multi('s1', m.delete(abs('//'))),
  ]),
  scenario('paths that look odd but are valid', [
    open('s1'),
    create('s1', '/a.b'), create('s1', '/..a'), create('s1', '/a..'), create('s1', '/a b'), create('s1', '/a\u00a0b'),
    create('s1', '/\u4e2d\u6587'), create('s1', '/\ud83d\ude00'),
    getChildren('s1', ''),
  ]),
];
