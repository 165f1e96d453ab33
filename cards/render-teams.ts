import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';

/** The card templates, one JSON file each under cards/templates. */
export const CARD_NAMES = [
  'message',
  'help',
  'packages',
  'request-form',
  'receipt',
  'my-requests',
  'my-access',
  'approval',
  'decided',
  'decision-reason',
  'approvals',
  'admin-results',
  'task',
  'extend',
] as const;
export type CardName = (typeof CARD_NAMES)[number];

const templates = new Map<CardName, object>();
const compiled = new Map<CardName, ACData.Template>();

export function templateOf(name: CardName): object {
  let template = templates.get(name);
  if (!template) {
    const file = path.join(__dirname, 'templates', `${name}.json`);
    template = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
    templates.set(name, template);
  }
  return template;
}

/** An Adaptive Card (1.5) for Teams: the template expanded with the builder's data. */
export function renderTeamsCard(name: CardName, data: unknown): Record<string, unknown> {
  // Data is inserted as values, never evaluated: a justification reading "${x}" stays text.
  // (The tests check every template binds with each builder's data.)
  let template = compiled.get(name);
  if (!template) {
    template = new ACData.Template(templateOf(name));
    compiled.set(name, template);
  }
  return template.expand({ $root: data }) as Record<string, unknown>;
}
