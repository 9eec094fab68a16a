/**
 * A bounded memo for pure parsers whose inputs repeat (prices, timestamps): a value computed once is
 * looked up after that. Bounded in entries (cleared when full) and optionally in key length (longer
 * keys are computed every time); a call that throws keeps nothing.
 */
export function boundedMemo<K extends string | number, V>(
  compute: (key: K) => V, limits: { maxEntries: number; maxKeyLength?: number },
): (key: K) => V {
  const values = new Map<K, V>();
  return (key) => {
    if (limits.maxKeyLength !== undefined && typeof key === 'string' && key.length > limits.maxKeyLength) return compute(key);
    let value = values.get(key);
    if (value === undefined) {
      value = compute(key);
      if (values.size >= limits.maxEntries) values.clear();
      values.set(key, value);
    }
    return value;
  };
}
