// Shared TypeBox schemas of the API (they also generate /api/openapi.json).
import { Type, type TSchema } from 'typebox';

/** The error body. */
export const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true }) });

/** Error responses every authenticated route can give. */
export const authErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

/** A response with the usual errors. */
export function withErrors<T extends TSchema>(ok: T, status = 200): Record<number, TSchema> {
  return { [status]: ok, ...authErrors };
}

/** `{ ok: true }`. */
export const Ok = Type.Object({ ok: Type.Boolean() });

/** A signed-in user. */
export const UserBody = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  locale: Type.String(),
  disabled: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  createdAt: Type.String(),
});

/** A report or subject id in the path. */
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

/** Kinds of work items. */
export const ItemKind = Type.Union([Type.Literal('report'), Type.Literal('subject')]);

/** Anything (canonical report documents and similar large shapes documented elsewhere). */
export const Anything = Type.Unknown();

/** An open object whose listed fields are typed and the rest kept. */
export function Open<P extends Record<string, TSchema>>(props: P) {
  return Type.Object(props, { additionalProperties: true });
}
