import fc from 'fast-check';
import { LineBatch, type ChunkSink } from './line-batch';

class RecordingSink implements ChunkSink {
  readonly chunks: string[] = [];
  syncFlushes = 0;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  flushSync(): void {
    this.syncFlushes++;
  }
}

describe('LineBatch', () => {
  it('writes one chunk once minLength characters have gathered, and holds smaller batches', () => {
    const sink = new RecordingSink();
    const batch = new LineBatch(sink, 10);
    batch.write('abcd\n');
    batch.write('efgh\n');
    expect(sink.chunks).toEqual(['abcd\nefgh\n']);
    batch.write('ij\n');
    expect(sink.chunks).toEqual(['abcd\nefgh\n']);
  });

  it('flush hands over what has gathered and calls back; an empty flush writes nothing', () => {
    const sink = new RecordingSink();
    const batch = new LineBatch(sink, 4096);
    const done = jest.fn();
    batch.flush(done);
    expect(sink.chunks).toEqual([]);
    expect(done).toHaveBeenCalledTimes(1);
    batch.write('one\n');
    batch.flush(done);
    expect(sink.chunks).toEqual(['one\n']);
    expect(done).toHaveBeenCalledTimes(2);
  });

  it('flushSync writes what is pending and then flushes the sink synchronously', () => {
    const sink = new RecordingSink();
    const batch = new LineBatch(sink, 4096);
    batch.write('last words\n');
    batch.flushSync();
    expect(sink.chunks).toEqual(['last words\n']);
    expect(sink.syncFlushes).toBe(1);
  });

  it('loses, reorders and duplicates nothing, and no chunk but the last flushed is short', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 40, unit: 'grapheme' })),
        fc.integer({ min: 1, max: 100 }),
        (lines, minLength) => {
          const sink = new RecordingSink();
          const batch = new LineBatch(sink, minLength);
          for (const line of lines) batch.write(`${line}\n`);
          const beforeFlush = sink.chunks.length;
          batch.flushSync();
          expect(sink.chunks.join('')).toBe(lines.map((line) => `${line}\n`).join(''));
          sink.chunks
            .slice(0, beforeFlush)
            .forEach((chunk) => expect(chunk.length).toBeGreaterThanOrEqual(minLength));
          expect(sink.chunks.every((chunk) => chunk !== '')).toBe(true);
        },
      ),
    );
  });
});
