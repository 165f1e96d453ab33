import { decisionReasonCard } from '../../cards/builders/decision-reason';
import { approvalCard } from '../../cards/builders/request-cards';
import { requestFormCard } from '../../cards/builders/request-form';
import { renderSlack } from '../../cards/render-slack';
import { renderSlackAnswerModal, renderSlackModal } from '../../cards/render-slack-modal';
import { LIMITS, viewProblems } from '../../cards/slack-limits';
import { ACTIONS, isActionVerb } from '../../cards/verbs';
import { SAMPLES, sampleView } from './card-samples';

// Forms are dialogs: Slack shows them as modals, from the same builders and templates, with
// the card's action as the submit button and its verb and data in private_metadata.

type Json = Record<string, unknown>;
const inputs = (view: Json) => (view.blocks as Json[]).filter((b) => b.type === 'input');
const PKG = { id: '0b7d3f52-7f0e-4b9c-9d61-0f6a3f1e2a11', name: 'Web project', description: '' };

const dialogs = SAMPLES.filter(([, reply]) => reply.dialog);

test('the request form and the reason form are the dialogs among the samples', () => {
  expect(new Set(dialogs.map(([, r]) => r.card))).toEqual(
    new Set(['request-form', 'decision-reason']),
  );
});

test.each(dialogs)('%s opens as a modal Slack accepts', (_label, reply) => {
  const view = renderSlackModal(reply, { clicked: { conversationId: 'D1', messageId: '1.2' } });
  expect(viewProblems(view)).toEqual([]);
  expect(JSON.stringify(view)).not.toContain('${');
  expect((view.title as Json).text).toBe(reply.dialog!.title);
  // The card's own action is the submit button, not a button among the blocks.
  expect((view.blocks as Json[]).some((b) => b.type === 'actions')).toBe(false);
  const meta = JSON.parse(String(view.private_metadata)) as Json;
  expect(meta.clicked).toEqual({ conversationId: 'D1', messageId: '1.2' });
  const verb = String(meta.verb);
  expect(isActionVerb(verb) && ACTIONS[verb].safeParse(meta.data).success).toBe(true);
});

test('the request form as a modal: each input under its field id, what was typed kept', () => {
  const reply = requestFormCard({
    pkg: PKG,
    policies: [
      {
        id: '7e0c1c52-6f0e-4b9c-9d61-0f6a3f1e2a11',
        name: 'Staff',
        requestorJustificationRequired: true,
        allowCustomSchedule: true,
        approvalRequired: true,
      },
      {
        id: '8e0c1c52-6f0e-4b9c-9d61-0f6a3f1e2a11',
        name: 'Contractors',
        requestorJustificationRequired: true,
        allowCustomSchedule: false,
        approvalRequired: true,
      },
    ],
    values: {
      policyId: '8e0c1c52-6f0e-4b9c-9d61-0f6a3f1e2a11',
      justification: 'release week',
      start: '2026-12-07',
    },
  });
  const view = renderSlackModal(reply);
  expect(view).toMatchObject({
    type: 'modal',
    title: { type: 'plain_text', text: 'Request access' },
    submit: { type: 'plain_text', text: 'Submit request' },
    close: { type: 'plain_text', text: 'Cancel' },
  });
  expect(JSON.parse(String(view.private_metadata))).toEqual({
    verb: 'requestSubmit',
    data: { packageId: PKG.id },
  });
  const byId = Object.fromEntries(inputs(view).map((b) => [b.block_id, b]));
  expect(Object.keys(byId)).toEqual(['policyId', 'justification', 'start', 'end']);
  expect(byId.policyId).toMatchObject({
    optional: false,
    element: { initial_option: { value: '8e0c1c52-6f0e-4b9c-9d61-0f6a3f1e2a11' } },
  });
  expect(byId.justification).toMatchObject({
    optional: false,
    element: { type: 'plain_text_input', initial_value: 'release week', max_length: 2000 },
  });
  expect(byId.start).toMatchObject({ optional: true, element: { initial_date: '2026-12-07' } });
  expect(byId.end.element).not.toHaveProperty('initial_date');
});

test('a required reason is asked in a modal, not in the message; an optional one stays inline', () => {
  const required = renderSlack(
    approvalCard(sampleView({ approverReasonRequired: true }), { now: new Date() }),
  );
  expect(required.blocks.filter((b) => b.type === 'input')).toEqual([]);
  const optional = renderSlack(
    approvalCard(sampleView({ approverReasonRequired: false }), { now: new Date() }),
  );
  expect(optional.blocks).toContainEqual(
    expect.objectContaining({ type: 'input', block_id: 'reason', optional: true }),
  );

  const deny = renderSlackModal(decisionReasonCard(sampleView(), 'deny'));
  expect(deny).toMatchObject({ title: { text: 'Deny request' }, submit: { text: 'Deny' } });
  expect(inputs(deny)).toEqual([expect.objectContaining({ block_id: 'reason', optional: false })]);
  expect(JSON.parse(String(deny.private_metadata))).toEqual({
    verb: 'deny',
    data: { requestId: sampleView().id },
  });
});

test('an answer in a modal has only a close button, and a long title is cut to fit', () => {
  const view = renderSlackAnswerModal(approvalCard(sampleView(), { now: new Date() }), {
    title: 'A title much longer than Slack allows',
    closeLabel: 'Close',
  });
  expect(viewProblems(view)).toEqual([]);
  expect((view.title as Json).text).toHaveLength(LIMITS.viewText);
  expect(view).not.toHaveProperty('submit');
  expect(view).not.toHaveProperty('private_metadata');
  expect((view.blocks as Json[]).some((b) => b.type === 'actions' || b.type === 'input')).toBe(
    false,
  );
});

test('a card that is no dialog is not opened as one', () => {
  expect(() => renderSlackModal(approvalCard(sampleView(), { now: new Date() }))).toThrow(
    /not a dialog/,
  );
});

test('the view checker names every broken limit', () => {
  const input = { type: 'input', block_id: 'x', label: { type: 'plain_text', text: 'X' } };
  const problems = viewProblems({
    type: 'modal',
    title: { type: 'plain_text', text: 't'.repeat(25) },
    close: { type: 'plain_text', text: 'c'.repeat(25) },
    private_metadata: 'm'.repeat(3001),
    callback_id: 'i'.repeat(256),
    blocks: Array.from({ length: 101 }, (_, i) => ({
      ...input,
      block_id: `x${i}`,
      element: { type: 'plain_text_input' },
    })),
  });
  expect(problems).toEqual([
    'blocks: 101 > 100',
    'title: 25 > 24',
    'close: 25 > 24',
    'submit: missing, with inputs',
    'private_metadata: 3001 > 3000',
    'callback_id: 256 > 255',
  ]);
  expect(viewProblems({ type: 'modal', blocks: [] })).toEqual(['title: missing']);
  expect(viewProblems({ type: 'message', blocks: [] })).toEqual(['view type: message']);
  const huge = Array.from({ length: 100 }, () => ({
    type: 'section',
    text: { type: 'mrkdwn', text: 'é'.repeat(2999) },
  }));
  expect(
    viewProblems({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: huge }),
  ).toEqual([expect.stringMatching(/^view bytes: \d+ > 250000$/)]);
});
