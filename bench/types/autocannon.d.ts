// The part of autocannon's API the HTTP benchmark uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }
    interface Options {
      url: string; method?: string; connections?: number; duration?: number; overallRate?: number;
      headers?: Record<string, string>; body?: string; requests?: (Request & { setupRequest?: (r: Request) => Request })[];
    }
    interface Histogram { average: number; mean: number; p50: number; p90: number; p99: number; p99_9: number; max: number }
    interface Result { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number; duration: number }
  }
  function autocannon(opts: autocannon.Options, cb: (err: Error | null, res: autocannon.Result) => void): unknown;
  export = autocannon;
}
