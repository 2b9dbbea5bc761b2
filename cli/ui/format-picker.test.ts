import { describe, expect, it } from 'vitest';
import { formatChoices } from './format-picker.ts';

describe('formatChoices', () => {
  it('on Free, formats outside the plan say which plan has them and cannot be picked', () => {
    const choices = formatChoices('free');
    expect(choices.map((choice) => [choice.value, choice.disabled, choice.checked])).toEqual([
      ['pytest', false, true],
      ['vitest', false, false],
      ['jest', false, false],
      ['postman', false, false],
      ['k6', '(needs Pro)', false],
      ['playwright', '(needs Pro)', false],
      ['sql', '(needs Pro)', false],
      ['json', false, false],
    ]);
  });

  it('on Pro everything is selectable and the preselection is kept', () => {
    const choices = formatChoices('pro', ['k6', 'json']);
    expect(choices.every((choice) => choice.disabled === false)).toBe(true);
    expect(choices.filter((choice) => choice.checked).map((choice) => choice.value)).toEqual(['k6', 'json']);
  });

  it('never preselects a format the plan lacks', () => {
    const choices = formatChoices('free', ['k6', 'vitest']);
    expect(choices.filter((choice) => choice.checked).map((choice) => choice.value)).toEqual(['vitest']);
  });
});
