// The shape of an account-namespace table (namespaces.ts): the built-in one
// (data/account-namespaces.ts) and an agency's file (namespace-files.ts) are both in it. Apart from
// namespaces.ts, which reads the built-in table, so that the table's data needs no import back.

/** How screen names of an account system compare: `case` ignores capitals, `dots` ignores periods (Facebook). */
export type HandleFold = 'case' | 'dots';

/** A profile URL form that carries an id, a handle or a phone number (a named group `id`, `handle` or `phone`). */
export interface ProfileForm {
  /** Host names, without `www.` (which is always ignored). */
  hosts: string[];
  /** A regular expression over the path and query (`/profile.php?id=1`), with one named group. */
  path: string;
}

/** One product (or family of product names) and the account system its ids and handles live in. */
export interface ProductEntry {
  /** Names as written on reports (`espService`, `platform`): case, punctuation and company suffixes are ignored. */
  names: string[];
  /** Namespace of its user ids (`facebook` in `facebook:1000…`): lowercase letters, digits and `-`. */
  ids: string;
  /** Namespace of its screen names, when not the same as `ids` (YouTube handles vs Google account ids). */
  handles?: string;
  /** How its screen names compare (default: case-insensitive). Ids are kept as written. */
  fold?: HandleFold[];
  /** The user id is the account's phone number in international form (WhatsApp): it is a phone too. */
  idIsPhone?: boolean;
  /** The company that issues the accounts (a `companies` id). */
  company: string;
  /** Profile URL forms that carry an id, a handle or a phone. */
  profiles?: ProfileForm[];
  /** Why this mapping; what is uncertain. */
  note?: string;
  /** Published sources for the mapping. */
  sources?: string[];
}

/** A reporting company: the fallback namespace of its unknown products and its own e-mail domains. */
export interface CompanyEntry {
  id: string;
  /** Names as written (`Meta Platforms, Inc.`). */
  names: string[];
  /**
   * The company's own domains (reporting contacts, staff): an address there on a report the company
   * filed is the company's, never the reported person's. Never a consumer mail domain (gmail.com).
   */
  domains: string[];
  /** Namespace of ids of a product the table does not know (default: the company id itself). */
  unknownProducts?: string;
  note?: string;
  sources?: string[];
}

/** The whole table: built in, or an agency's additions in the same shape. */
export interface NamespaceTable {
  products: ProductEntry[];
  companies: CompanyEntry[];
}
