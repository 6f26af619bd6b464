import { describe, expect, it } from 'vitest';
import { RECIPE_ERRORS, RecipeError, isRecipeError } from './errors.js';

describe('RecipeError', () => {
  it('names its code, the reason and the path', () => {
    const e = new RecipeError('SessionLost', '/locks/a');
    expect(e.message).toBe(`SessionLost: ${RECIPE_ERRORS.SessionLost} (/locks/a)`);
    expect([e.name, e.code, e.path]).toEqual(['RecipeError', 'SessionLost', '/locks/a']);
    expect(isRecipeError(e, 'SessionLost')).toBe(true);
    expect(isRecipeError(e, 'Closed')).toBe(false);
    expect(isRecipeError(new Error('x'))).toBe(false);
  });

  it('keeps the cause and takes a specific detail', () => {
    const cause = new Error('boom');
    const e = new RecipeError('RetriesExhausted', undefined, 'create failed 3 times', { cause });
    expect(e.message).toBe('RetriesExhausted: create failed 3 times');
    expect(e.cause).toBe(cause);
  });

  it('documents every code', () => {
    for (const [code, text] of Object.entries(RECIPE_ERRORS)) expect(text.length, code).toBeGreaterThan(10);
  });
});
