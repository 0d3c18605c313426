// The few parts of autocannon (which ships no types) the benches use.
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    duration?: number;
    timeout?: number;
    /** Requests per second over all connections. */
    overallRate?: number;
  }
  interface Result {
    requests: { total: number; sent: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    resets: number;
    '2xx': number;
    duration: number;
  }
  interface Instance {
    stop(): void;
    on(event: 'reqError', listener: (error: Error & { code?: string }) => void): void;
  }
  export type { Result };
  function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
