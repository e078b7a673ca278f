// One bounded cache for the conversions a run repeats millions of times over a few hundred distinct
// values (dates, their formatted text, holiday explanations): remembered until the limit, then
// forgotten all at once, so memory stays bounded whatever the input.

export function boundedCache<K, V>(limit = 100_000): (key: K, compute: () => V) => V {
  const kept = new Map<K, V>();
  return (key, compute) => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = compute();
    if (kept.size >= limit) kept.clear();
    kept.set(key, value);
    return value;
  };
}
