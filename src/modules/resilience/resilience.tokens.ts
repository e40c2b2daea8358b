/** Injection token of the process-wide CircuitBreakerRegistry. */
export const CIRCUIT_BREAKERS = Symbol('CIRCUIT_BREAKERS');
