import type { Checkpoint, DebateMessage } from '@aragora/debate-engine';

/** A transcript message as a `debate_messages` row. */
export interface StoredMessage {
  readonly messageId: string;
  /** Index in the engine's transcript. */
  readonly position: number;
  readonly round: number;
  readonly kind: string;
  readonly participant: string;
  readonly content: string;
  readonly data: Record<string, unknown> | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * How a checkpoint is stored: without its transcript, which lives in `debate_messages` (written
 * with the same phase) — so each phase writes its own messages once, not the whole transcript
 * again. `messageCount` lets a load check it got every message back.
 */
export interface StoredCheckpoint extends Omit<Checkpoint, 'state'> {
  readonly state: Omit<Checkpoint['state'], 'messages'> & { readonly messages: [] };
  readonly messagesInTable: true;
  readonly messageCount: number;
}

export function isStoredWithoutMessages(value: unknown): value is StoredCheckpoint {
  return typeof value === 'object' && value !== null && (value as StoredCheckpoint).messagesInTable;
}

export function withoutMessages(checkpoint: Checkpoint): StoredCheckpoint {
  return {
    ...checkpoint,
    state: { ...checkpoint.state, messages: [] },
    messagesInTable: true,
    messageCount: checkpoint.state.messages.length,
  };
}

/** The engine's checkpoint again, its transcript read back from the table (in position order). */
export function withMessages(stored: StoredCheckpoint, rows: readonly StoredMessage[]): Checkpoint {
  if (rows.length !== stored.messageCount) {
    throw new Error(
      `checkpoint expects ${stored.messageCount} messages, the table has ${rows.length}`,
    );
  }
  const { messagesInTable: _table, messageCount: _count, ...checkpoint } = stored;
  return { ...checkpoint, state: { ...checkpoint.state, messages: rows.map(toMessage) } };
}

/** A transcript message as a table row; `toMessage` is its inverse. */
export function toStoredMessage(m: DebateMessage, position: number): StoredMessage {
  const data =
    m.kind === 'critique'
      ? { target: m.target, ...m.critique }
      : m.kind === 'vote'
        ? { ...m.vote }
        : m.kind === 'judge'
          ? { ...m.verdict }
          : null;
  return {
    messageId: m.id,
    position,
    round: m.round,
    kind: m.kind,
    participant: m.participant,
    content: m.text,
    data,
    inputTokens: m.usage.inputTokens,
    outputTokens: m.usage.outputTokens,
  };
}

function toMessage(row: StoredMessage): DebateMessage {
  const base = {
    id: row.messageId,
    round: row.round,
    participant: row.participant,
    text: row.content,
    usage: { inputTokens: row.inputTokens, outputTokens: row.outputTokens },
  };
  const data = row.data ?? {};
  switch (row.kind) {
    case 'critique': {
      const { target, issues, suggestions, severity } = data as {
        target: string;
        issues: string[];
        suggestions: string[];
        severity: number;
      };
      return { ...base, kind: 'critique', target, critique: { issues, suggestions, severity } };
    }
    case 'vote':
      return { ...base, kind: 'vote', vote: choiceOf(data) };
    case 'judge':
      return { ...base, kind: 'judge', verdict: choiceOf(data) };
    case 'proposal':
    case 'revision':
    case 'synthesis':
      return { ...base, kind: row.kind };
    default:
      throw new Error(`unknown message kind ${row.kind} in the transcript`);
  }
}

function choiceOf(data: Record<string, unknown>) {
  const { choice, confidence, reasoning } = data as {
    choice: string;
    confidence: number;
    reasoning: string;
  };
  return { choice, confidence, reasoning };
}
