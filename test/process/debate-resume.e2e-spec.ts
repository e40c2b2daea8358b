import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, waitFor } from '../support/http';
import { spawnService, type ServiceProcess } from '../support/service-process';

jest.setTimeout(120_000);

interface Event {
  seq: number;
  type: string;
  round?: number;
  data: { messageId?: string };
}

const events = async (service: ServiceProcess, id: string): Promise<Event[]> =>
  (await http<{ items: Event[] }>(`${service.baseUrl}/api/v1/debates/${id}/events?limit=1000`)).body
    .items;

describe('a debate whose process is killed', () => {
  let dataDir: string;
  const started: ServiceProcess[] = [];
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aragora-resume-'));
    chmodSync(dataDir, 0o755);
  });
  afterAll(async () => {
    for (const service of started) {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGTERM');
        await service.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const spawn = async () => {
    const service = await spawnService({
      ARAGORA_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ARAGORA_DEMO_LATENCY_MS: '150',
      ARAGORA_DEBATE_LEASE_SECONDS: '2',
    });
    started.push(service);
    await service.waitReady(60_000);
    return service;
  };

  it('is resumed by the next process from its last checkpoint: nothing duplicated, nothing missing, seq gap-free', async () => {
    const first = await spawn();
    const created = await http<{ id: string }>(`${first.baseUrl}/api/v1/debates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        task: 'Should the data platform adopt a lakehouse architecture this year?',
        agents: ['demo', 'demo-analyst', 'demo-skeptic', 'demo-pragmatist', 'demo-contrarian'],
        rounds: 4,
        consensus: 'majority',
      }),
    });
    expect(created.status).toBe(202);
    const id = created.body.id;
    // Kill it mid-round: the critiques of round 1 are durable, its revisions are under way.
    await waitFor(
      async () => ((await events(first, id)).some((e) => e.type === 'critique') ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 20, what: 'the first critiques' },
    );
    const before = await events(first, id);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawn();
    const debate = await waitFor(
      async () => {
        const res = await http<{ status: string; rounds_completed: number; votes: unknown[] }>(
          `${second.baseUrl}/api/v1/debates/${id}`,
        );
        return ['completed', 'no_consensus', 'failed'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the resumed debate to end' },
    );
    expect(debate.status).toBe('completed');

    const log = await events(second, id);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    // What was durable before the kill is still there, unchanged.
    expect(log.slice(0, before.length)).toEqual(before);
    // Every message is announced once per event type (a revision has agent_message + revision).
    const announcements = log
      .filter((e) => e.data.messageId !== undefined)
      .map((e) => `${e.type}/${e.data.messageId}`);
    expect(new Set(announcements).size).toBe(announcements.length);
    const announced = log.map((e) => e.data.messageId);
    const receipt = await http<{
      chain: { verified: boolean };
      debate: {
        rounds: { messages: { id: string }[]; critiques: { id: string }[] }[];
        votes: { id: string }[];
      };
    }>(`${second.baseUrl}/api/v1/debates/${id}/export`);
    expect(receipt.body.chain.verified).toBe(true);
    const stored = [
      ...receipt.body.debate.rounds.flatMap((r) =>
        [...r.messages, ...r.critiques].map((m) => m.id),
      ),
      ...receipt.body.debate.votes.map((v) => v.id),
    ];
    expect(new Set(stored).size).toBe(stored.length);
    // No message is missing: 5 proposals, 20 critiques and 5 revisions per completed round, 5 votes.
    const rounds = debate.rounds_completed;
    expect(stored.filter((m) => m.includes(':proposal:'))).toHaveLength(5);
    expect(stored.filter((m) => m.includes(':critique:'))).toHaveLength(20 * rounds);
    expect(stored.filter((m) => m.includes(':revision:'))).toHaveLength(5 * rounds);
    expect(stored.filter((m) => m.includes(':vote:'))).toHaveLength(5);
    for (const m of stored) expect(announced).toContain(m);
  });
});
