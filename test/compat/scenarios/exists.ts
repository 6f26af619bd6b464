import {
  abs, create, del, exists, open, setData, scenario, waitEvents, getData, type Scenario,
} from '../steps.js';

export const scenarios: Scenario[] = [
  scenario('exists on present and missing nodes', [
    open('s1'),
    create('s1', '/a', 'x'),
    exists('s1', '/a'),
    exists('s1', '/b'),
    exists('s1', abs('/')),
    exists('s1', abs('/zookeeper')),
    exists('s1', abs('/zookeeper/config')),
  ]),
  scenario('exists watch on a missing node fires NodeCreated', [
    open('s1'), open('s2'),
    exists('s1', '/a', true),
    create('s2', '/a'),
    waitEvents('s1', 1),
    exists('s1', '/a'),
  ]),
  scenario('exists watch on a present node fires NodeDataChanged', [
    open('s1'), open('s2'),
    create('s2', '/a'),
    exists('s1', '/a', true),
    setData('s2', '/a', 'x'),
    waitEvents('s1', 1),
  ]),
  scenario('exists watch on a present node fires NodeDeleted', [
    open('s1'), open('s2'),
    create('s2', '/a'),
    exists('s1', '/a', true),
    del('s2', '/a'),
    waitEvents('s1', 1),
  ]),
  scenario('exists watch is one shot', [
    open('s1'), open('s2'),
    exists('s1', '/a', true),
    create('s2', '/a'),
    setData('s2', '/a', 'x'),
    del('s2', '/a'),
    waitEvents('s1', 1),
  ]),
  scenario('exists and getData watches on a missing node', [
    open('s1'), open('s2'),
    getData('s1', '/a', true),
    exists('s1', '/b', true),
    create('s2', '/a'),
    create('s2', '/b'),
    waitEvents('s1', 1),
  ]),
];
