/** Micro-tokens per token: integer arithmetic keeps "capacity N allows exactly N" exact. */
export const MICRO = 1_000_000;

/**
 * Atomic all-or-nothing take over N token buckets (kept in TS: the build copies no assets).
 *
 * KEYS[i]      bucket hash {tokens = micro-tokens, ts = last update in µs of Redis TIME}
 * ARGV[1]      key TTL in ms; PEXPIRE max(TTL, ms until full), as an expired bucket reads full
 * ARGV[2i]     capacity of bucket i (tokens)
 * ARGV[2i + 1] refill of bucket i (tokens per second = micro-tokens per µs)
 *
 * Returns {allowed (1|0), micro-tokens left in bucket 1, …, bucket N}. Time comes from Redis so
 * every pod shares one clock; a rejected take writes nothing, so it costs nothing.
 */
export const TOKEN_BUCKET_LUA = `
local micro = ${MICRO}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local ttl = tonumber(ARGV[1])
local capacity, rate, tokens = {}, {}, {}
local allowed = 1
for i = 1, #KEYS do
  capacity[i] = math.floor(tonumber(ARGV[2 * i]) * micro)
  rate[i] = tonumber(ARGV[2 * i + 1])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  tokens[i] = capacity[i]
  if state[1] and state[2] then
    local elapsed = math.max(0, now - tonumber(state[2]))
    tokens[i] = math.min(capacity[i], tonumber(state[1]) + math.floor(elapsed * rate[i]))
  end
  if tokens[i] < micro then allowed = 0 end
end
local reply = { allowed }
for i = 1, #KEYS do
  if allowed == 1 then
    tokens[i] = tokens[i] - micro
    local expire = ttl
    if rate[i] > 0 then
      expire = math.max(ttl, math.ceil((capacity[i] - tokens[i]) / (rate[i] * 1000)))
    end
    -- %d: Lua's default number formatting would round 16-digit µs timestamps
    local fmt = string.format
    redis.call('HSET', KEYS[i], 'tokens', fmt('%d', tokens[i]), 'ts', fmt('%d', now))
    redis.call('PEXPIRE', KEYS[i], fmt('%d', expire))
  end
  reply[i + 1] = tokens[i]
end
return reply
`;
