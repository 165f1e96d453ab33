import { packagesCard } from '../../cards/builders/packages';
import { approvalCard } from '../../cards/builders/request-cards';
import { renderTeamsCard } from '../../cards/render-teams';
import { renderSlack } from '../../cards/render-slack';
import { blockKitProblems, LIMITS } from '../../cards/slack-limits';
import { ACTIONS, isActionVerb } from '../../cards/verbs';
import { SAMPLES, sampleView } from './card-samples';

// Slack shows the cards Teams shows, from the same builders and templates, in Block Kit. No
// npm package checks Block Kit's limits: blockKitProblems does, on every sample.

type Json = Record<string, unknown>;
const buttons = (blocks: Json[]) =>
  blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements as Json[]);

test.each(SAMPLES)('%s renders to Block Kit within its limits', (_label, reply) => {
  const { text, blocks } = renderSlack(reply);
  expect(blockKitProblems(blocks, 'message')).toEqual([]);
  expect(blocks.length).toBeGreaterThan(0);
  expect(text).not.toBe('');
  expect(JSON.stringify(blocks)).not.toContain('${');
  for (const b of buttons(blocks)) {
    if (b.url) continue;
    // Each button carries a verb the chat layer handles, and data its schema accepts.
    const verb = String(b.action_id).split('#')[0];
    expect(isActionVerb(verb)).toBe(true);
    if (!isActionVerb(verb)) continue;
    const data = JSON.parse(String(b.value)) as Json;
    const withInputs = { reason: '', justification: '', decision: 'approve', ...data };
    expect(ACTIONS[verb].safeParse(withInputs).success).toBe(true);
  }
});

test('the words are the Adaptive Card words', () => {
  const reply = approvalCard(sampleView(), { now: new Date('2026-11-23T10:00:00Z') });
  const teams = JSON.stringify(renderTeamsCard(reply.card, reply.data));
  const { blocks } = renderSlack(reply);
  expect(blocks[0]).toEqual({
    type: 'header',
    text: { type: 'plain_text', text: 'User One asks for Web project' },
  });
  expect(teams).toContain('User One asks for Web project');
  expect(buttons(blocks).map((b) => [b.action_id, (b.text as Json).text, b.style])).toEqual([
    ['approve#0', 'Approve', 'primary'],
    ['deny#1', 'Deny', 'danger'],
  ]);
  expect(blocks).toContainEqual(
    expect.objectContaining({ type: 'input', block_id: 'reason', optional: true }),
  );
});

test('what would break a limit is shortened, and what is left out is said', () => {
  const long = 'x'.repeat(5000);
  const approval = renderSlack(
    approvalCard(sampleView({ justification: long }), { now: new Date() }),
  );
  expect(blockKitProblems(approval.blocks, 'message')).toEqual([]);
  const justification = approval.blocks
    .flatMap((b) => (b.fields as Json[] | undefined) ?? [])
    .map((f) => String(f.text))
    .find((t) => t.startsWith('*Justification*'))!;
  expect(justification).toHaveLength(LIMITS.fieldText);
  expect(justification.endsWith('…')).toBe(true);

  const many = Array.from({ length: 60 }, (_, i) => ({
    id: `0b7d3f52-7f0e-4b9c-9d61-${String(i).padStart(12, '0')}`,
    name: `Package ${i}`,
    description: 'A package',
  }));
  const list = renderSlack(packagesCard({ items: many, nextCursor: null }));
  expect(list.blocks).toHaveLength(LIMITS.blocks.message);
  expect(JSON.stringify(list.blocks.at(-1))).toMatch(/…and \d+ more not shown\./);
  expect(blockKitProblems(list.blocks, 'message')).toEqual([]);
});

test('the checker names every broken limit', () => {
  const problems = blockKitProblems(
    [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      {
        type: 'section',
        fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })),
      },
      {
        type: 'actions',
        elements: Array.from({ length: 26 }, () => ({
          type: 'button',
          text: { type: 'plain_text', text: 'b'.repeat(76) },
          action_id: 'a',
        })),
      },
      ...Array.from({ length: 50 }, () => ({ type: 'divider' })),
    ],
    'message',
  );
  expect(problems).toEqual(
    expect.arrayContaining([
      'blocks: 53 > 50',
      'block 0 (header) text: 151 > 150',
      'block 1 (section) fields: 11 > 10',
      'block 2 (actions) elements: 26 > 25',
      'block 2 (actions) button 0 text: 76 > 75',
    ]),
  );
});
