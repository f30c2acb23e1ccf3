import { describe, expect, it } from 'vitest';
import { invalidFields } from './validation';

describe('the fields a request.invalid error points at', () => {
  it('reads zod issues, with or without the body prefix', () => {
    expect(invalidFields([{ path: ['email'] }, { path: ['connection', 'imap', 'host'] }])).toEqual(['email', 'connection']);
    expect(invalidFields({ issues: [{ path: 'body.name' }] })).toEqual(['name']);
  });

  it('reads Ajv-style JSON pointers and flattened or treeified zod errors', () => {
    expect(invalidFields({ validation: [{ instancePath: '/password' }] })).toEqual(['password']);
    expect(invalidFields({ fieldErrors: { email: ['bad'] }, properties: { name: {} } })).toEqual(['email', 'name']);
  });

  it('names each field once, and nothing for shapes it does not know', () => {
    expect(invalidFields([{ path: ['email'] }, { path: ['email', 0] }])).toEqual(['email']);
    expect(invalidFields(null)).toEqual([]);
    expect(invalidFields('bad')).toEqual([]);
    expect(invalidFields([{ path: [0] }, 42])).toEqual([]);
  });
});
