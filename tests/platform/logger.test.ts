import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger, isLogLevel } from '../../src/platform/logger.js';

function captureLines(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with name and ISO time', () => {
    const capture = captureLines();
    const logger = createLogger({ level: 'info', name: 'o2c.test', destination: capture.stream });

    logger.info({ orderId: 'SO-1' }, 'order confirmed');

    const [line] = capture.lines();
    expect(line).toMatchObject({ level: 30, name: 'o2c.test', orderId: 'SO-1', msg: 'order confirmed' });
    expect(line?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('drops lines below the level', () => {
    const capture = captureLines();
    const logger = createLogger({ level: 'warn', destination: capture.stream });

    logger.info('hidden');
    logger.warn('shown');

    expect(capture.lines().map((line) => line.msg)).toEqual(['shown']);
  });
});

describe('isLogLevel', () => {
  it('accepts pino levels only', () => {
    expect(isLogLevel('debug')).toBe(true);
    expect(isLogLevel('silent')).toBe(true);
    expect(isLogLevel('verbose')).toBe(false);
    expect(isLogLevel('INFO')).toBe(false);
  });
});
