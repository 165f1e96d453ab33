import type { z } from 'zod';
import type { Actor } from '../domain/actor';
import type { Services } from '../domain/services';
import type { CsvFile } from './csv/render';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ObjectSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/** What a handler answers; a JSON reply gets its status from the route's `success`. */
export type Reply =
  | { kind: 'json'; body: unknown; location?: string }
  | { kind: 'empty' }
  | { kind: 'csv'; file: CsvFile };

export const ok = (body: unknown): Reply => ({ kind: 'json', body });
/** `location` is relative to the API root, e.g. `/catalogs/<id>`. */
export const created = (location: string, body: unknown): Reply => ({
  kind: 'json',
  body,
  location,
});
export const noContent = (): Reply => ({ kind: 'empty' });
export const csvFile = (file: CsvFile): Reply => ({ kind: 'csv', file });
/** Graph's collection shape, so fields such as a next-page cursor can sit beside the items. */
export const list = (value: unknown[], extra: Record<string, unknown> = {}) =>
  ok({ value, ...extra });

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  services: Services;
  actor: Actor;
}

/** One row of the route table: it drives both the express route and the OpenAPI operation. */
export interface RouteSpec<P extends ObjectSchema, Q extends ObjectSchema, B extends z.ZodType> {
  method: Method;
  /** OpenAPI style, relative to /api/v1: `/catalogs/{id}`. */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  success: { status: 200 | 201 | 204; description: string; csv?: boolean };
  handler(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<Reply>;
}

export type Route = RouteSpec<ObjectSchema, ObjectSchema, z.ZodType>;

type Empty = z.ZodObject<Record<never, never>, z.core.$strict>;

/** Types a row's handler from its schemas, then erases them so rows fit in one table. */
export const route = <
  P extends ObjectSchema = Empty,
  Q extends ObjectSchema = Empty,
  B extends z.ZodType = z.ZodUndefined,
>(
  spec: RouteSpec<P, Q, B>,
): Route => spec as unknown as Route;
