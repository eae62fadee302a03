/** "Did you mean" for misspelt names: the closest candidate within a small edit distance. */

/** Past this many candidates a suggestion costs more than it helps (edit distance is quadratic). */
export const MAX_CANDIDATES = 500;

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.length > MAX_CANDIDATES) return undefined;
  const lower = word.toLowerCase();
  // A name written longer or shorter than meant (`notifyUser` for `notify`) is a likely slip too.
  const affix = list.find((candidate) => candidate.length >= 3 && (lower.startsWith(candidate.toLowerCase()) || candidate.toLowerCase().startsWith(lower)));
  if (affix !== undefined && lower.length >= 3) return affix;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of list) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closest(word, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
