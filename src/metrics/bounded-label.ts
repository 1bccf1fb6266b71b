/** The label value every value beyond the limit shares. */
export const OTHER_LABEL = 'other';

/**
 * A label whose cardinality never exceeds max + 1: the first `max` distinct values seen
 * keep their own value, every later one becomes "other". First come, first served for
 * the life of the process (a series once exported keeps its meaning).
 */
export function createBoundedLabel(max: number): (value: string) => string {
  const admitted = new Set<string>();
  return (value) => {
    if (admitted.has(value)) return value;
    if (admitted.size < max && value !== OTHER_LABEL) {
      admitted.add(value);
      return value;
    }
    return OTHER_LABEL;
  };
}
