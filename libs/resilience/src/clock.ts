/** Time port: milliseconds on any monotonic-enough scale. Injected so the logic never reads real time. */
export interface Clock {
  now(): number;
}
