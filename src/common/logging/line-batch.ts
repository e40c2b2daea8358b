/** Where a batch goes: a writer that writes each chunk it is given (sonic-boom with minLength 0). */
export interface ChunkSink {
  write(chunk: string): boolean;
  flushSync(): void;
}

/**
 * Collects log lines and hands them to the sink as one chunk once `minLength` characters have
 * gathered, or when flushed. sonic-boom buffers by itself (`minLength`), but on every line it
 * measures the UTF-8 length of everything it has buffered so far, flattening the growing string
 * each time: ~1.3 µs per line at a 4 KB buffer. Here a line costs an append and an add; the sink
 * still does the writing (partial writes, EAGAIN on a non-blocking stdout, sync or not).
 */
export class LineBatch {
  private pending = '';

  constructor(
    private readonly sink: ChunkSink,
    private readonly minLength: number,
  ) {}

  /** pino's stream interface. Returns true: the batch bounds what it holds by itself. */
  write(line: string): boolean {
    this.pending += line;
    if (this.pending.length >= this.minLength) this.flush();
    return true;
  }

  /** Hands what has gathered to the sink (pino's `logger.flush(cb)` calls this too). */
  flush(done?: (error?: Error) => void): void {
    if (this.pending !== '') {
      const chunk = this.pending;
      this.pending = '';
      this.sink.write(chunk);
    }
    done?.();
  }

  /** Writes everything out before returning: for process exit. */
  flushSync(): void {
    this.flush();
    this.sink.flushSync();
  }
}
