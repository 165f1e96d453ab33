import type { Requestability } from '../../server/domain/request-eligibility';
import type { CardReply } from '../reply';
import { day, number } from '../texts';
import { messageCard } from './message';

type Refusal = Exclude<Requestability, { requestable: true }>;

/** Why someone cannot request a package, in words that say what to do next. */
export function notRequestableCard(packageName: string, r: Refusal): CardReply {
  const say = (text: string) => messageCard(text, { title: packageName, tone: 'warning' });
  switch (r.reason) {
    case 'notFound':
      return say('This access package no longer exists.');
    case 'catalogDisabled':
      return say('Its catalog is switched off, so nothing in it can be requested right now.');
    case 'hasAccess':
      return say(
        r.until
          ? `You already have this access, until ${day(r.until)}.`
          : 'You already have this access.',
      );
    case 'pending':
      return say(
        `You already asked for it: request ${number(r.number)} is waiting. Send "requests" to see it.`,
      );
    case 'noEnabledPolicy':
      return say('None of its policies is switched on, so nobody can request it right now.');
    case 'notInScope':
      return say(
        `None of its policies includes you.${
          r.owners.length
            ? ` Ask its catalog's owners (${r.owners.join(', ')}) if you need it.`
            : ' Ask your administrator if you need it.'
        }`,
      );
  }
}
