import type { CardReply } from '../reply';

export interface FormPolicy {
  id: string;
  name: string;
  requestorJustificationRequired: boolean;
  allowCustomSchedule: boolean;
  approvalRequired: boolean;
}

export type FormField = 'policyId' | 'justification' | 'start' | 'end' | 'general';
const FIELDS: FormField[] = ['policyId', 'justification', 'start', 'end', 'general'];

/**
 * The request form. Errors found on submit come back on the same form, beside their field,
 * with what the user typed kept.
 */
export function requestFormCard(input: {
  pkg: { id: string; name: string; description: string };
  policies: FormPolicy[];
  values?: Partial<Record<'policyId' | 'justification' | 'start' | 'end', string>>;
  errors?: Partial<Record<FormField, string>>;
}): CardReply {
  const { pkg, policies } = input;
  const errors = input.errors ?? {};
  const required = policies.length > 0 && policies.every((p) => p.requestorJustificationRequired);
  return {
    card: 'request-form',
    data: {
      heading: `Request ${pkg.name}`,
      description: pkg.description,
      hasDescription: pkg.description !== '',
      packageId: pkg.id,
      choosePolicy: policies.length > 1,
      policyLabel: 'Which kind of access?',
      policyMissing: 'Choose one.',
      policies: policies.map((p) => ({
        value: p.id,
        title: p.approvalRequired ? p.name : `${p.name} (no approval needed)`,
      })),
      justificationLabel: required ? 'Why do you need it? (required)' : 'Why do you need it?',
      justificationRequired: required,
      justificationMissing: 'Say why you need this access.',
      allowSchedule: policies.some((p) => p.allowCustomSchedule),
      startLabel: 'From (optional)',
      endLabel: 'Until (optional)',
      submitLabel: 'Submit request',
      values: {
        policyId: input.values?.policyId ?? (policies.length === 1 ? policies[0].id : ''),
        justification: input.values?.justification ?? '',
        start: input.values?.start ?? '',
        end: input.values?.end ?? '',
      },
      errors: Object.fromEntries(FIELDS.map((f) => [f, errors[f] ?? ''])),
      hasErrors: Object.fromEntries(FIELDS.map((f) => [f, Boolean(errors[f])])),
    },
    dialog: {
      title: 'Request access',
      closeLabel: 'Cancel',
      errors: Object.fromEntries(FIELDS.flatMap((f) => (errors[f] ? [[f, errors[f]]] : []))),
      answerReplacesCard: false,
    },
  };
}
