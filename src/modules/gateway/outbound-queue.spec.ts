import { OutboundQueue, type FrameSink, type OutboundLimits } from './outbound-queue';
import { textFrame, type PreparedFrame } from './prepared-frame';

/** A socket whose kernel never takes anything unless the test says so. */
class FakeSink implements FrameSink {
  bufferedAmount = 0;
  readonly sent: string[] = [];
  send(frame: PreparedFrame): void {
    this.sent.push(frame.subarray(2).toString());
    this.bufferedAmount += frame.length;
  }
}

const limits: OutboundLimits = {
  highWaterBytes: 100,
  maxFrames: 5,
  maxBytes: 200,
  maxStallMs: 1_000,
};
const frame = (text: string) => textFrame(text);

function setup(overrides: Partial<OutboundLimits> = {}) {
  const sink = new FakeSink();
  const written: number[] = [];
  const queue = new OutboundQueue(sink, { ...limits, ...overrides }, (ts) => written.push(ts));
  return { sink, queue, written };
}

describe('OutboundQueue', () => {
  it('writes straight to the socket while it is below high water', () => {
    const { sink, queue, written } = setup();
    expect(queue.push(frame('a'), 42, 0)).toBe('ok');
    expect(queue.push(frame('b'), NaN, 0)).toBe('ok');
    expect(sink.sent).toEqual(['a', 'b']);
    expect(written).toEqual([42, NaN]);
    expect(queue.length).toBe(0);
    expect(queue.congested).toBe(false);
  });

  it('holds frames above high water and sends them, in order, once the socket drains', () => {
    const { sink, queue } = setup();
    sink.bufferedAmount = 150;
    expect(queue.push(frame('a'), 1, 0)).toBe('ok');
    expect(queue.push(frame('b'), 2, 10)).toBe('ok');
    expect(sink.sent).toEqual([]);
    expect(queue.congested).toBe(true);
    expect(queue.drain(20)).toBe('ok');
    expect(sink.sent).toEqual([]);
    sink.bufferedAmount = 0;
    expect(queue.drain(30)).toBe('ok');
    expect(sink.sent).toEqual(['a', 'b']);
    expect(queue.congested).toBe(false);
    // a frame pushed while others wait never overtakes them
    sink.bufferedAmount = 150;
    queue.push(frame('c'), 3, 40);
    sink.bufferedAmount = 0;
    queue.push(frame('d'), 4, 50);
    queue.drain(60);
    expect(sink.sent).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops at high water in the middle of a drain', () => {
    const { sink, queue } = setup({ highWaterBytes: 10 });
    sink.bufferedAmount = 50;
    for (const text of ['a', 'b', 'c']) queue.push(frame(text), 0, 0);
    sink.bufferedAmount = 5; // room for two 3-byte frames
    queue.drain(1);
    expect(sink.sent).toEqual(['a', 'b']);
    expect(queue.length).toBe(1);
  });

  it('overflows past the frame bound (ARAGORA_USER_EVENT_QUEUE_SIZE)', () => {
    const { sink, queue } = setup();
    sink.bufferedAmount = 1_000;
    for (let i = 0; i < 5; i++) expect(queue.push(frame(`${i}`), 0, 0)).toBe('ok');
    expect(queue.push(frame('6'), 0, 0)).toBe('overflow');
  });

  it('overflows past the byte bound', () => {
    const { sink, queue } = setup({ maxFrames: 1_000 });
    sink.bufferedAmount = 1_000;
    expect(queue.push(frame('x'.repeat(150)), 0, 0)).toBe('ok');
    expect(queue.push(frame('x'.repeat(60)), 0, 0)).toBe('overflow');
  });

  it('reports a socket congested for longer than the stall bound', () => {
    const { sink, queue } = setup();
    sink.bufferedAmount = 1_000;
    queue.push(frame('a'), 0, 0);
    expect(queue.drain(999)).toBe('ok');
    expect(queue.drain(1_001)).toBe('stalled');
  });

  it('forgets everything on clear', () => {
    const { sink, queue } = setup();
    sink.bufferedAmount = 1_000;
    queue.push(frame('a'), 0, 0);
    queue.clear();
    sink.bufferedAmount = 0;
    expect(queue.drain(5_000)).toBe('ok');
    expect(sink.sent).toEqual([]);
    expect(queue.congested).toBe(false);
  });
});
