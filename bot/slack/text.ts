/**
 * What the person typed. Slack escapes &, < and > in message and command text (a mention
 * stays `<@U…>`, which the grammar reads), so a package called "R&D" arrives as "R&amp;D".
 */
export const unescaped = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
