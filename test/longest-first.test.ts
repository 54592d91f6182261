// The costliest task starts first, from the very first dispatch: with one thread, the model whose
// definition declares the higher cost fits before the one listed before it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir, train } from './support/helpers.js';

describe('longest expected task first', () => {
  it('with --threads 1, the costliest declared task starts before one submitted earlier', async () => {
    const marker = join(tempDir(), 'order');
    const run = await train(
      ['--threads', '1', '--model-module', fixture('models/order.mjs'), '--models', 'order-cheap,order-costly'],
      { TRAINPOOL_ORDER_MARKER: marker },
    );
    expect(run.code).toBe(0);
    expect(readFileSync(marker, 'utf8').trim().split('\n')).toEqual(['order-costly', 'order-cheap']);
  });

  it('across the folds of a CV run too: every costly task before any cheap one', async () => {
    const marker = join(tempDir(), 'order');
    const run = await train(
      [
        '--threads',
        '1',
        '--cv',
        '3',
        '--model-module',
        fixture('models/order.mjs'),
        '--models',
        'order-cheap,order-costly',
      ],
      { TRAINPOOL_ORDER_MARKER: marker },
    );
    expect(run.code).toBe(0);
    expect(readFileSync(marker, 'utf8').trim().split('\n')).toEqual([
      ...Array(4).fill('order-costly'),
      ...Array(4).fill('order-cheap'),
    ]);
  });
});
