import {
  createDebateSpec,
  initialCheckpoint,
  type Checkpoint,
  type DebateMessage,
} from '@aragora/debate-engine';
import { toStoredMessage, withMessages, withoutMessages } from './checkpoint-storage';

const usage = { inputTokens: 12, outputTokens: 34 };
const transcript: DebateMessage[] = [
  { id: 'r1:proposal:a', kind: 'proposal', round: 1, participant: 'a', text: 'Use queues.', usage },
  {
    id: 'r1:critique:a>b',
    kind: 'critique',
    round: 1,
    participant: 'a',
    text: '{"issues":["cost"]}',
    usage,
    target: 'b',
    critique: { issues: ['cost'], suggestions: ['cache'], severity: 6 },
  },
  {
    id: 'r1:revision:a',
    kind: 'revision',
    round: 1,
    participant: 'a',
    text: 'Queues, cached.',
    usage,
  },
  {
    id: 'r1:vote:b',
    kind: 'vote',
    round: 1,
    participant: 'b',
    text: '{}',
    usage,
    vote: { choice: 'a', confidence: 0.8, reasoning: 'clearer' },
  },
  {
    id: 'r1:judge:a',
    kind: 'judge',
    round: 1,
    participant: 'a',
    text: '{}',
    usage,
    verdict: { choice: 'a', confidence: 0.7, reasoning: 'best supported' },
  },
  { id: 'r1:synthesis:a', kind: 'synthesis', round: 1, participant: 'a', text: 'Final.', usage },
];

function checkpointWith(messages: DebateMessage[]): Checkpoint {
  const spec = createDebateSpec({
    debateId: 'd1',
    task: 'How should we queue work?',
    participants: [{ agent: 'a' }, { agent: 'b' }],
  });
  const start = initialCheckpoint(spec);
  return { ...start, lastSeq: 9, state: { ...start.state, messages } };
}

describe('checkpoint storage', () => {
  it('stores a checkpoint without its transcript and rebuilds it exactly from the rows', () => {
    const checkpoint = checkpointWith(transcript);
    const stored = withoutMessages(checkpoint);
    expect(stored.state.messages).toEqual([]);
    expect(stored.messageCount).toBe(transcript.length);
    // the rows come back from JSON (jsonb), as from the database
    const rows = JSON.parse(JSON.stringify(transcript.map(toStoredMessage))) as ReturnType<
      typeof toStoredMessage
    >[];
    const reread = JSON.parse(JSON.stringify(stored)) as typeof stored;
    expect(withMessages(reread, rows)).toEqual(checkpoint);
  });

  it('refuses a transcript with a message missing', () => {
    const stored = withoutMessages(checkpointWith(transcript));
    const rows = transcript.slice(1).map(toStoredMessage);
    expect(() => withMessages(stored, rows)).toThrow('expects 6 messages');
  });
});
