/**
 * The envelope a subscriber receives for a bus event (the gateway's `liveEnvelope` field order),
 * for the bench's synthetic events: what the bare reference writes and the size the report gives.
 */
export const envelopeOf = (event) =>
  JSON.stringify({
    type: event.type,
    debate_id: event.debateId,
    seq: event.seq,
    ts: new Date(event.ts).toISOString(),
    round: event.round,
    agent: event.agent,
    data: event.data,
  });
