// Roles and what each may do. The route table names the roles of every route; these are the sets.

/** The roles an account can have. */
export const ROLES = ['admin', 'supervisor', 'analyst', 'auditor'] as const;
/** A role. */
export type Role = (typeof ROLES)[number];

/** True for a known role name. */
export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** Everyone who works reports (auditors only read the audit trail). */
export const WORKERS: readonly Role[] = ['analyst', 'supervisor', 'admin'];
/** Supervisors and admins. */
export const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
/** Admins only. */
export const ADMINS: readonly Role[] = ['admin'];
/** Readers of the audit trail. */
export const AUDITORS: readonly Role[] = ['auditor', 'admin'];
/** Every role. */
export const EVERYONE: readonly Role[] = ROLES;
