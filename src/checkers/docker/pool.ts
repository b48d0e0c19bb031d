// A tiny promise pool: at most `limit` tasks run at once, the rest wait in
// order. One collection sends every API request through one limiter, so the
// bound holds across all API paths, not per stage.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let active = 0;
  const waiting: (() => void)[] = [];

  const release = (): void => {
    active--;
    waiting.shift()?.();
  };

  return function run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        active++;
        let pending: Promise<T>;
        try {
          pending = task();
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(resolve, reject).finally(release);
      };
      if (active < limit) start();
      else waiting.push(start);
    });
  };
}
