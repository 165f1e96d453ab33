import fs from 'node:fs';
import path from 'node:path';
import { ACTION_HANDLERS } from '../../bot/core/chat-service';
import { ACTION_VERBS } from '../../cards/verbs';
import { CARD_NAMES, renderTeamsCard, templateOf } from '../../cards/render-teams';
import { SAMPLES } from './card-samples';

// Imported from dist: the package's main entry needs a DOM, and this one parses without.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/** Every problem the Adaptive Cards library finds parsing and validating at schema 1.5. */
function problems(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const found: string[] = [];
  for (let i = 0; i < context.eventCount; i++) found.push(context.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) found.push(e.message);
  return found;
}

const verbsIn = (node: unknown): string[] =>
  Array.isArray(node)
    ? node.flatMap(verbsIn)
    : node && typeof node === 'object'
      ? [
          ...('verb' in node && typeof node.verb === 'string' ? [node.verb] : []),
          ...Object.values(node).flatMap(verbsIn),
        ]
      : [];

test('every template file is a known card, and every card has a template', () => {
  const files = fs.readdirSync(path.join(__dirname, '../../cards/templates'));
  expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...CARD_NAMES].sort());
});

test.each(SAMPLES)('%s renders to a valid 1.5 card with every binding filled', (_label, reply) => {
  const card = renderTeamsCard(reply.card, reply.data);
  const json = JSON.stringify(card);
  expect(json).not.toMatch(/\$\{/);
  expect(card.version).toBe('1.5');
  expect(problems(card)).toEqual([]);
  // Teams refuses messages over about 28 KB.
  expect(json.length).toBeLessThan(28_000);
});

test('every card is exercised by a sample', () => {
  expect(new Set(SAMPLES.map(([, r]) => r.card))).toEqual(new Set(CARD_NAMES));
});

test('the validation catches a broken card, so passing means something', () => {
  expect(problems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] })).not.toEqual(
    [],
  );
  expect(
    problems({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'Input.Text', id: 'a' },
        { type: 'Input.Text', id: 'a' },
      ],
    }),
  ).not.toEqual([]);
});

test('the verbs in the templates are exactly the verbs with data schemas', () => {
  const used = new Set(CARD_NAMES.flatMap((n) => verbsIn(templateOf(n))));
  expect([...used].sort()).toEqual([...ACTION_VERBS].sort());
});

test('every card verb has exactly one handler, and every handler a verb', () => {
  expect(Object.keys(ACTION_HANDLERS).sort()).toEqual([...ACTION_VERBS].sort());
});
