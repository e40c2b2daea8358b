import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const FIN_TEXT = 0x81;

declare const prepared: unique symbol;
/** A whole WebSocket frame, header included: only textFrame() makes one. */
export type PreparedFrame = Buffer & { readonly [prepared]: true };

/**
 * A complete server-to-client text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked, then the
 * payload), built once per message. One event fanned out to a thousand sockets is encoded once
 * and written as one buffer to each, instead of being framed again per socket.
 */
export function textFrame(text: string): PreparedFrame {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_TEXT;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, 'utf8');
  return frame as PreparedFrame;
}

/**
 * The TCP socket under a `ws` connection (`_socket`, not in its types). Prepared frames are
 * written to it directly: whole frames, on the same stream ws writes its pings and close frame
 * to, with per-message deflate off, so frames never interleave and `bufferedAmount` still counts
 * them.
 */
export function socketOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}

/**
 * Writes made while one bus publish is fanned out are corked per socket and flushed together on
 * the next tick: a batch of events reaches each client in one syscall instead of one per frame.
 */
export class CorkBatch {
  private corked: Socket[] = [];
  private scheduled = false;

  write(socket: Socket, frame: PreparedFrame): void {
    if (socket.writableCorked === 0) {
      socket.cork();
      this.corked.push(socket);
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => this.flush());
      }
    }
    socket.write(frame);
  }

  flush(): void {
    this.scheduled = false;
    const sockets = this.corked;
    this.corked = [];
    for (const socket of sockets) socket.uncork();
  }
}
