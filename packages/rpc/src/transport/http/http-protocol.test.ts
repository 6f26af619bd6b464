import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENTS, TRACE_ID } from '../attachments.js';
import { DEFAULT_TIMEOUT_MS, HEADER, headerJson, headerOrQuery, mediaType, readAttachmentHeaders, readDeadline } from './http-protocol.js';

describe('http protocol', () => {
  it('attachments from the JSON header, one header each and the trace id header, in that order of precedence', () => {
    expect(readAttachmentHeaders({
      [HEADER.ATTACHMENTS]: '{"Tenant":"a","x":"json"}',
      [`${HEADER.ATTACHMENT_PREFIX}x`]: 'header',
      [HEADER.TRACE_ID]: 't-1',
      'content-type': 'application/json',
    })).toEqual({ Tenant: 'a', x: 'header', [TRACE_ID]: 't-1' });
    expect(readAttachmentHeaders({})).toEqual({});
  });

  it('bad attachments are named', () => {
    expect(readAttachmentHeaders({ [HEADER.ATTACHMENTS]: '{' })).toBe(`${HEADER.ATTACHMENTS} is not JSON`);
    expect(readAttachmentHeaders({ [HEADER.ATTACHMENTS]: '["a"]' })).toBe(`${HEADER.ATTACHMENTS} must be a JSON object`);
    expect(readAttachmentHeaders({ [HEADER.ATTACHMENTS]: '{"n":1}' })).toContain('"n" is not a string');
    const many = Object.fromEntries(Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(readAttachmentHeaders({ [HEADER.ATTACHMENTS]: JSON.stringify(many) })).toContain(`at most ${MAX_ATTACHMENTS}`);
  });

  it('header JSON is ASCII and reads back unchanged', () => {
    const value = { 'ключ': 'Ünïcode ✓ 😀', quote: '"\n' };
    const text = headerJson(value);
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('deadline: absolute, remaining ms, or the default; bad values are named', () => {
    expect(readDeadline({ [HEADER.DEADLINE]: '12345' }, 1000)).toBe(12345);
    expect(readDeadline({ [HEADER.TIMEOUT]: '250' }, 1000)).toBe(1250);
    expect(readDeadline({}, 1000)).toBe(1000 + DEFAULT_TIMEOUT_MS);
    expect(readDeadline({ [HEADER.TIMEOUT]: '-1' }, 1000)).toContain(HEADER.TIMEOUT);
    expect(readDeadline({ [HEADER.DEADLINE]: 'soon' }, 1000)).toContain(HEADER.DEADLINE);
  });

  it('version and group: header, then query, then the default', () => {
    expect(headerOrQuery({ [HEADER.VERSION]: '^1' }, { version: '2' }, HEADER.VERSION, 'version', '*')).toBe('^1');
    expect(headerOrQuery({}, { version: '2' }, HEADER.VERSION, 'version', '*')).toBe('2');
    expect(headerOrQuery({}, {}, HEADER.VERSION, 'version', '*')).toBe('*');
  });

  it('media types', () => {
    expect(mediaType('application/json; charset=utf-8')).toBe('application/json');
    expect(mediaType('application/msgpack')).toBe('application/msgpack');
    expect(mediaType('text/plain')).toBeNull();
    expect(mediaType(undefined)).toBeNull();
  });
});
