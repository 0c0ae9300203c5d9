/** Small statistics for a handful of runs, and a seeded shuffle so an order can be replayed. */

export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function min(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? Math.min(...finite) : Number.NaN;
}

export function max(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? Math.max(...finite) : Number.NaN;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, n) => total + (Number.isFinite(n) ? n : 0), 0);
}

/** Half the min-max range over the median: the `±` of a spread. */
export function spread(values: readonly number[]): number {
  const mid = median(values);
  return mid > 0 ? (max(values) - min(values)) / 2 / mid : Number.NaN;
}

/** mulberry32: a tiny PRNG; enough to shuffle a few models reproducibly. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates on a copy. */
export function shuffle<T>(items: readonly T[], rng: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
