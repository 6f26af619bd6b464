import { describe, expect, it } from 'vitest';
import { Code, KeeperError } from '../index.js';
import { CliError, describeFailure, keeperMessage } from './cli-error.js';

describe('keeperMessage', () => {
  it('words the usual outcomes as zkCli does', () => {
    expect(keeperMessage(new KeeperError(Code.NoNode, '/x'))).toBe('Node does not exist: /x');
    expect(keeperMessage(new KeeperError(Code.NodeExists, '/x'))).toBe('Node already exists: /x');
    expect(keeperMessage(new KeeperError(Code.NotEmpty, '/x'))).toBe('Node not empty: /x');
    expect(keeperMessage(new KeeperError(Code.BadVersion, '/x'))).toBe('version No is not valid : /x');
    expect(keeperMessage(new KeeperError(Code.NoAuth, '/x'))).toBe('Insufficient permission : /x');
    expect(keeperMessage(new KeeperError(Code.NoChildrenForEphemerals, '/x'))).toBe('Ephemerals cannot have children: /x');
    expect(keeperMessage(new KeeperError(Code.InvalidACL))).toBe('Acl is not valid : null');
  });

  it('prints other codes as the error\'s own message', () => {
    expect(keeperMessage(new KeeperError(Code.ConnectionLoss, '/x'))).toBe('KeeperErrorCode = ConnectionLoss for /x');
  });
});

describe('describeFailure', () => {
  it('gives the message and exit code of CLI, keeper and other errors', () => {
    expect(describeFailure(new CliError('usage', 127))).toEqual({ message: 'usage', exitCode: 127 });
    expect(describeFailure(new KeeperError(Code.NoNode, '/x'))).toEqual({ message: 'Node does not exist: /x', exitCode: 1 });
    expect(describeFailure(new Error('boom'))).toEqual({ message: 'boom', exitCode: 1 });
  });
});
