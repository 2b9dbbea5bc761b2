/**
 * The step of a generation names the format in progress: `Rendering: pytest (1/2)`, then `json (2/2)`, each
 * before that format is rendered (one thread; tests/render/render-helper.test.ts covers two).
 */
import { expect, test } from 'vitest';
import { generateInMemory, SILENT_PROGRESS } from '../../cli/engine/library.ts';

test('each format is named before it is rendered, with its place in the run', async () => {
  const steps: string[] = [];
  await generateInMemory(
    'tests/fixtures/specs/sut/petstore.yaml',
    { formats: ['pytest', 'json'], mode: 'dry-run' },
    {
      progress: {
        ...SILENT_PROGRESS,
        start: (text) => {
          steps.push(text);
          return { update: (next) => steps.push(next), succeed() {}, fail() {}, stop() {} };
        },
      },
    },
  );
  const rendering = steps.filter((text) => text.startsWith('Rendering: '));
  expect(rendering.slice(1)).toEqual(['Rendering: pytest (1/2)', 'Rendering: json (2/2)']);
});
