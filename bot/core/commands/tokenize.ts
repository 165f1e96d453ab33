/** A word of a command line; `quoted` words keep their spaces and never read as flags. */
export interface Word {
  text: string;
  quoted: boolean;
}

// Phones and Teams turn straight quotes into curly ones; all count as quotes.
const OPEN = new Set(['"', '“', '”', "'", '‘', '’']);
const CLOSE: Record<string, string[]> = {
  '"': ['"'],
  '“': ['”', '"'],
  '”': ['”', '"'],
  "'": ["'"],
  '‘': ['’', "'"],
  '’': ['’', "'"],
};

/**
 * Splits a command line into words, honouring quotes. An apostrophe inside a word ("Dana's")
 * is a letter, not a quote. An unclosed quote runs to the end of the line.
 */
export function tokenize(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const ch = line[i];
    // A mention (<@id|Display Name>) is one word, spaces and all.
    const mentionEnd = line.startsWith('<@', i) ? line.indexOf('>', i) : -1;
    if (mentionEnd > 0) {
      words.push({ text: line.slice(i, mentionEnd + 1), quoted: false });
      i = mentionEnd + 1;
      continue;
    }
    if (OPEN.has(ch)) {
      const closers = CLOSE[ch];
      let j = i + 1;
      while (j < line.length && !closers.includes(line[j])) j++;
      words.push({ text: line.slice(i + 1, j), quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < line.length && !/\s/.test(line[j])) j++;
    words.push({ text: line.slice(i, j), quoted: false });
    i = j;
  }
  return words;
}
