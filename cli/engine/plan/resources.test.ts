import { describe, expect, it } from 'vitest';
import { inferIdProperty } from './resources.ts';

const props = (...names: string[]) => Object.fromEntries(names.map((name) => [name, { type: 'string' }]));

describe('inferIdProperty', () => {
  it('prefers the property of the same name, also spelled differently', () => {
    expect(inferIdProperty('petId', props('id', 'petId'))).toBe('petId');
    expect(inferIdProperty('pet_id', props('id', 'petId'))).toBe('petId');
  });

  it("takes the property named by the parameter's last word", () => {
    expect(inferIdProperty('issue_number', props('id', 'number', 'title'))).toBe('number');
    expect(inferIdProperty('team_slug', props('id', 'slug', 'name'))).toBe('slug');
    expect(inferIdProperty('orderKey', props('id', 'key'))).toBe('key');
    expect(inferIdProperty('petId', props('id', 'name'))).toBe('id');
  });

  it('falls back to id, except for names', () => {
    expect(inferIdProperty('issue_number', props('id', 'title'))).toBe('id');
    expect(inferIdProperty('username', props('id', 'name', 'login'))).toBeUndefined();
    expect(inferIdProperty('petId', props('name'))).toBeUndefined();
  });
});
