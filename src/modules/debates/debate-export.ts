import type { DebateEventEntity } from './debate-records.entity';
import { GENESIS_HASH, verifyChain } from './event-chain';
import type { DebateView } from './debate.view';

/** The decision receipt: the debate and its event log, each event carrying the previous hash. */
export function exportJson(debate: DebateView, events: readonly DebateEventEntity[]) {
  const chainBreak = verifyChain(events.map(chained));
  return {
    format: 'aragora.decision-receipt/v1',
    exported_at: new Date().toISOString(),
    debate,
    chain: {
      algorithm: 'sha256',
      genesis: GENESIS_HASH,
      hashed_fields: ['debate_id', 'seq', 'type', 'ts', 'round', 'agent', 'data'],
      encoding: 'sha256(prev_hash + "\\n" + canonical JSON with sorted keys)',
      verified: chainBreak === undefined,
      ...(chainBreak && { broken_at_seq: chainBreak.seq }),
      last_hash: events.at(-1)?.hash ?? GENESIS_HASH,
    },
    events: events.map((e) => ({
      seq: e.seq,
      type: e.type,
      ts: e.ts.toISOString(),
      round: e.round,
      agent: e.agent,
      data: e.data,
      prev_hash: e.prevHash,
      hash: e.hash,
    })),
  };
}

export function chained(e: DebateEventEntity) {
  return {
    debateId: e.debateId,
    seq: e.seq,
    type: e.type,
    ts: e.ts.toISOString(),
    round: e.round,
    agent: e.agent,
    data: e.data,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The same receipt for people: the transcript, the verdict, and the hash of every event. */
export function exportMarkdown(debate: DebateView, events: readonly DebateEventEntity[]): string {
  const receipt = exportJson(debate, events);
  const lines: string[] = [
    `# Decision receipt — debate ${debate.id}`,
    '',
    `**Task:** ${oneLine(debate.task)}`,
    '',
    `- Status: ${debate.status}${debate.status_reason ? ` (${debate.status_reason})` : ''}`,
    `- Agents: ${debate.agents.map((a) => `${a.participant} (${a.provider}/${a.model})`).join(', ')}`,
    `- Consensus mode: ${debate.consensus_mode}`,
    `- Created: ${debate.timings.created_at}; finished: ${debate.timings.finished_at ?? '—'}`,
    '',
  ];
  if (debate.consensus) {
    const c = debate.consensus;
    lines.push(
      '## Verdict',
      '',
      `- Reached: ${c.reached ? 'yes' : 'no'}; winner: ${c.winner ?? '—'}; confidence: ${c.confidence.toFixed(3)}`,
      `- Supporting: ${c.supporting_agents.join(', ') || '—'}; dissenting: ${c.dissenting_agents.join(', ') || '—'}`,
      '',
      c.final_answer ?? '',
      '',
    );
  }
  for (const round of debate.rounds) {
    lines.push(`## Round ${round.round}`, '');
    for (const m of round.messages) lines.push(`### ${m.agent} — ${m.kind}`, '', m.content, '');
    for (const c of round.critiques) lines.push(`- **${c.agent}** critique: ${oneLine(c.content)}`);
    if (round.critiques.length > 0) lines.push('');
  }
  if (debate.dissent.length > 0) {
    lines.push('## Dissent', '');
    for (const d of debate.dissent)
      lines.push(`- **${d.participant}**: ${d.reasons.map(oneLine).join(' / ')}`);
    lines.push('');
  }
  lines.push(
    '## Event log',
    '',
    `Chain: ${receipt.chain.encoding}; genesis ${GENESIS_HASH.slice(0, 12)}…; verified: ${receipt.chain.verified ? 'yes' : `NO (broken at seq ${receipt.chain.broken_at_seq})`}.`,
    '',
    '| seq | type | ts | agent | prev_hash | hash |',
    '|---|---|---|---|---|---|',
    ...receipt.events.map(
      (e) => `| ${e.seq} | ${e.type} | ${e.ts} | ${e.agent ?? ''} | ${e.prev_hash} | ${e.hash} |`,
    ),
    '',
  );
  return lines.join('\n');
}
