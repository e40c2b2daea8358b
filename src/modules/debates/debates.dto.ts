import { z } from 'zod';
import type { AppConfig } from '../../config';
import { CONSENSUS_MODES } from '@aragora/debate-engine';
import { MAX_EVENT_SEQ } from './debate-event-bus';
import { DEBATE_STATUSES } from './debate.entity';

const METADATA_MAX_BYTES = 16 * 1024;

/** The create body; limits come from config (ARAGORA_MAX_AGENTS_PER_DEBATE, ARAGORA_MAX_ROUNDS). */
export function createDebateSchema(debates: AppConfig['debates']) {
  return z
    .strictObject({
      task: z.string().trim().min(10).max(10_000).optional(),
      /** Accepted as an alias of `task` (the seeds' load-test body). */
      topic: z.string().trim().min(10).max(10_000).optional(),
      agents: z.array(z.string().min(1).max(63)).min(2).max(debates.maxAgents),
      rounds: z.number().int().min(1).max(debates.maxRounds).default(debates.defaultRounds),
      consensus: z.enum(CONSENSUS_MODES).default('hybrid'),
      context: z.string().max(10_000).optional(),
      metadata: z
        .record(z.string(), z.unknown())
        .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= METADATA_MAX_BYTES, {
          message: `at most ${METADATA_MAX_BYTES} bytes of JSON`,
        })
        .optional(),
      domain: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .regex(/^[\w .:/-]+$/, 'letters, digits, spaces and _ . : / - only')
        .optional(),
      // A token cap (input + output of every call); cost caps would need per-model prices.
      budget: z.strictObject({ max_tokens: z.number().int().min(1) }).optional(),
    })
    .transform((body, ctx) => {
      const task = body.task ?? body.topic;
      if (task === undefined) {
        ctx.addIssue({ code: 'custom', path: ['task'], message: 'task (or topic) is required' });
        return z.NEVER;
      }
      const { task: _task, topic: _topic, ...rest } = body;
      return { ...rest, task };
    });
}
export type CreateDebateBody = z.output<ReturnType<typeof createDebateSchema>>;

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  status: z.enum(DEBATE_STATUSES).optional(),
});
export type ListQuery = z.output<typeof listQuerySchema>;

export const eventsQuerySchema = z.strictObject({
  after_seq: z.coerce.number().int().min(0).max(MAX_EVENT_SEQ).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type EventsQuery = z.output<typeof eventsQuerySchema>;

export const voteSchema = z.strictObject({
  choice: z.string().min(1).max(100),
  intensity: z.number().int().min(1).max(10).default(5),
  reasoning: z.string().max(2000).optional(),
});
export type VoteBody = z.output<typeof voteSchema>;

export function forkSchema(debates: AppConfig['debates']) {
  return z.strictObject({
    from_round: z.number().int().min(0).max(debates.maxRounds),
    context: z.string().max(10_000).optional(),
    rounds: z.number().int().min(1).max(debates.maxRounds).optional(),
    consensus: z.enum(CONSENSUS_MODES).optional(),
  });
}
export type ForkBody = z.output<ReturnType<typeof forkSchema>>;

export const exportQuerySchema = z.strictObject({
  format: z.enum(['json', 'markdown']).default('json'),
});
