/**
 * Block Kit's limits (PLATFORM.md; Slack refuses a message or view that breaks one), and the
 * one place that makes rendered blocks fit them: long texts are cut with an ellipsis, a
 * section's fields and an actions block's buttons are split, and too many blocks end with a
 * line saying how many were left out. No npm package enforces these.
 */
export const LIMITS = {
  blocks: { message: 50, modal: 100, home: 100 },
  actionsElements: 25,
  sectionFields: 10,
  sectionText: 3000,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  inputLabel: 2000,
  optionText: 75,
  options: 100,
  messageText: 40000,
  /** A modal's title, submit and close texts. */
  viewText: 24,
  privateMetadata: 3000,
  /** A view's whole JSON, in bytes. */
  viewBytes: 250_000,
} as const;

export type Surface = keyof typeof LIMITS.blocks;

type Json = Record<string, unknown>;

export const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const textOf = (t: unknown) => ((t as { text?: string } | undefined)?.text ?? '') as string;

/** Every limit a block list breaks, as readable problems; none when it is valid. */
export function blockKitProblems(blocks: Json[], surface: Surface): string[] {
  const problems: string[] = [];
  const over = (what: string, value: number, max: number) => {
    if (value > max) problems.push(`${what}: ${value} > ${max}`);
  };
  over('blocks', blocks.length, LIMITS.blocks[surface]);
  blocks.forEach((b, i) => {
    const at = `block ${i} (${String(b.type)})`;
    if (typeof b.block_id === 'string') over(`${at} block_id`, b.block_id.length, LIMITS.id);
    if (b.type === 'header') over(`${at} text`, textOf(b.text).length, LIMITS.headerText);
    if (b.type === 'section') {
      over(`${at} text`, textOf(b.text).length, LIMITS.sectionText);
      const fields = (b.fields as unknown[] | undefined) ?? [];
      over(`${at} fields`, fields.length, LIMITS.sectionFields);
      fields.forEach((f, j) => over(`${at} field ${j}`, textOf(f).length, LIMITS.fieldText));
    }
    if (b.type === 'actions') {
      const elements = b.elements as Json[];
      over(`${at} elements`, elements.length, LIMITS.actionsElements);
      elements.forEach((e, j) => {
        over(`${at} button ${j} text`, textOf(e.text).length, LIMITS.buttonText);
        over(`${at} button ${j} value`, String(e.value ?? '').length, LIMITS.buttonValue);
        over(`${at} button ${j} action_id`, String(e.action_id ?? '').length, LIMITS.id);
      });
    }
    if (b.type === 'input') {
      over(`${at} label`, textOf(b.label).length, LIMITS.inputLabel);
      const options = ((b.element as Json).options as Json[] | undefined) ?? [];
      over(`${at} options`, options.length, LIMITS.options);
      options.forEach((o, j) =>
        over(`${at} option ${j}`, textOf(o.text).length, LIMITS.optionText),
      );
    }
  });
  return problems;
}

/**
 * Every limit a view (views.open, views.update, views.publish) breaks: its type, its blocks
 * for that surface, a modal's title, submit and close, its ids, its size, and block ids unique
 * within it (Slack refuses duplicates); none when Slack would take it.
 */
export function viewProblems(view: Json): string[] {
  const type = String(view.type);
  if (type !== 'home' && type !== 'modal') return [`view type: ${type}`];
  const blocks = (view.blocks as Json[] | undefined) ?? [];
  const problems = blockKitProblems(blocks, type);
  const over = (what: string, value: number, max: number) => {
    if (value > max) problems.push(`${what}: ${value} > ${max}`);
  };
  if (type === 'modal') {
    if (!textOf(view.title)) problems.push('title: missing');
    for (const key of ['title', 'submit', 'close'] as const) {
      if (view[key] !== undefined) over(`${key}`, textOf(view[key]).length, LIMITS.viewText);
    }
    const hasInputs = blocks.some((b) => b.type === 'input');
    if (hasInputs && view.submit === undefined) problems.push('submit: missing, with inputs');
  }
  over('private_metadata', String(view.private_metadata ?? '').length, LIMITS.privateMetadata);
  for (const id of ['callback_id', 'external_id'] as const) {
    over(id, String(view[id] ?? '').length, LIMITS.id);
  }
  over('view bytes', Buffer.byteLength(JSON.stringify(view)), LIMITS.viewBytes);
  const ids = blocks.map((b) => b.block_id).filter((id) => typeof id === 'string');
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push(`block_id used twice: ${String(id)}`);
  }
  return problems;
}

/** The blocks, made to fit: what Slack would refuse is shortened, never dropped silently. */
export function fitBlocks(blocks: Json[], surface: Surface): Json[] {
  const fitted = blocks.flatMap(fitBlock);
  const max = LIMITS.blocks[surface];
  if (fitted.length <= max) return fitted;
  const kept = fitted.slice(0, max - 1);
  return [
    ...kept,
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${fitted.length - kept.length} more not shown.` }],
    },
  ];
}

function fitBlock(b: Json): Json[] {
  const text = (t: unknown, max: number) => ({ ...(t as Json), text: cut(textOf(t), max) });
  switch (b.type) {
    case 'header':
      return [{ ...b, text: text(b.text, LIMITS.headerText) }];
    case 'section': {
      const fields = ((b.fields as unknown[] | undefined) ?? []).map((f) =>
        text(f, LIMITS.fieldText),
      );
      const base = { ...b, ...(b.text ? { text: text(b.text, LIMITS.sectionText) } : {}) };
      if (fields.length <= LIMITS.sectionFields)
        return [fields.length ? { ...base, fields } : base];
      return chunks(fields, LIMITS.sectionFields).map((part, i) =>
        i === 0 ? { ...base, fields: part } : { type: 'section', fields: part },
      );
    }
    case 'actions':
      return chunks(b.elements as Json[], LIMITS.actionsElements).map((part) => ({
        type: 'actions',
        // A value is the action's data (ids): never cut, or it would no longer parse.
        elements: part.map((e) => ({ ...e, text: text(e.text, LIMITS.buttonText) })),
      }));
    default:
      return [b];
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
