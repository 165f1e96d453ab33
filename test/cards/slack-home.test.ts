import { homeCards, HOME_LIST_LIMIT, type HomeData } from '../../cards/builders/home';
import { messageCard } from '../../cards/builders/message';
import { approvalsCard, myAccessCard } from '../../cards/builders/access-cards';
import { decidedCard } from '../../cards/builders/request-cards';
import { renderSlackHome } from '../../cards/render-slack-home';
import { LIMITS, viewProblems } from '../../cards/slack-limits';
import { sampleView } from './card-samples';

// The Home is the cards the commands answer with, one under another, in at most 100 blocks
// with every list at its longest; what does not fit is counted, never silently dropped.

type Json = Record<string, unknown>;
const now = new Date('2026-11-23T10:00:00Z');
const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function fullHome(count: number): HomeData {
  const views = Array.from({ length: count }, (_, i) =>
    sampleView({ id: id(i), number: i + 1, justification: 'j'.repeat(2500) }),
  );
  return {
    access: Array.from({ length: count }, (_, i) => ({
      packageName: `Package ${i} ${'n'.repeat(200)}`,
      state: 'delivered',
      endAt: now,
      extensionAllowed: true,
    })),
    accessTotal: count,
    requests: views,
    requestsTotal: count,
    approvals: views,
    approvalsTotal: count,
    now,
  };
}

const text = (view: Json) => JSON.stringify(view);

test('with every list at its longest and a notice on top, the Home fits whole', () => {
  const after = decidedCard(
    sampleView({ state: 'denied', decision: { by: 'A', at: now, reason: 'No' } }),
  );
  const view = renderSlackHome(homeCards(fullHome(30), after));
  expect(viewProblems(view)).toEqual([]);
  expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.blocks.home);
  // Nothing was cut off by the block limit: the last block is still the help line.
  expect(text(view)).not.toContain('not shown');
  expect(text(view.blocks[view.blocks.length - 1])).toContain('/access help');
  const more = 30 - HOME_LIST_LIMIT;
  for (const command of ['access', 'requests', 'approvals']) {
    expect(text(view)).toContain(`…and ${more} more: /access ${command} shows them all.`);
  }
  expect(text(view)).toContain('Waiting for your decision (30)');
});

test('short lists are shown whole, with no "more" line', () => {
  const view = renderSlackHome(homeCards(fullHome(2)));
  expect(viewProblems(view)).toEqual([]);
  expect(text(view)).not.toContain('more: /access');
});

test('a click’s answer is on top; a list the Home shows anyway is not repeated', () => {
  const home = fullHome(1);
  const refused = messageCard('You cannot decide your own request.', { tone: 'error' });
  expect(text(renderSlackHome(homeCards(home, refused)).blocks[0])).toContain('your own request');
  const list = homeCards(home, myAccessCard(home.access));
  expect(list.filter((c) => c.card === 'my-access')).toHaveLength(1);
  // What happened to each selected request, without a second list of approvals.
  const decided = homeCards(home, approvalsCard([], now, ['#1: approved.']));
  expect(decided[0]).toEqual(messageCard('#1: approved.'));
  expect(decided.filter((c) => c.card === 'approvals')).toHaveLength(1);
});

test('the view checker names what Slack would refuse', () => {
  const section = (i: number) => ({ type: 'section', text: { type: 'mrkdwn', text: `${i}` } });
  const tooMany = { type: 'home', blocks: Array.from({ length: 101 }, (_, i) => section(i)) };
  expect(viewProblems(tooMany)).toEqual(['blocks: 101 > 100']);
  const input = {
    type: 'input',
    block_id: 'reason',
    label: { type: 'plain_text', text: 'R' },
    element: {},
  };
  expect(viewProblems({ type: 'home', blocks: [input, input] })).toEqual([
    'block_id used twice: reason',
  ]);
  expect(viewProblems({ type: 'message', blocks: [] })).toEqual(['view type: message']);
  const big = { type: 'home', blocks: [], private_metadata: 'x'.repeat(3001) };
  expect(viewProblems(big)).toEqual(['private_metadata: 3001 > 3000']);
});
