// What mapping one report collects besides the report itself: unknown parts kept verbatim,
// warnings, and hard-rule violations (which set the report aside).

import type { UnknownPart } from '../../model/report.ts';
import { escapeAttr, serializeNode, type XmlNode } from './xml-node.ts';

const MAX_QUOTED = 80;

/** A value quoted for a message, shortened when long. */
export function quote(value: string): string {
  const v = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
  return JSON.stringify(v);
}

/** A path as shown in messages: relative to the report element (`incidentSummary/incidentType`). */
export function shown(path: string): string {
  return path.startsWith('report/') ? path.slice(7) : path;
}

/** Collects unknown parts, warnings and violations while one report is mapped. */
export class MapContext {
  readonly unknown: UnknownPart[] = [];
  readonly warnings: string[] = [];
  readonly violations: string[] = [];

  /** Keeps an element the schema does not know at this place; `parent` is the path of the element holding it. */
  keep(parent: string, node: XmlNode): void {
    const path = node.name === '' ? `${parent}/text()` : `${parent}/${node.name}`;
    this.unknown.push({ path, xml: serializeNode(node) });
  }

  /** Keeps an attribute the schema does not know on the element at `path`. */
  keepAttr(path: string, name: string, value: string): void {
    this.unknown.push({ path: `${path}/@${name}`, xml: `${name}="${escapeAttr(value)}"` });
  }

  /** Keeps a second copy of an element the schema allows once, with a warning. */
  duplicate(parent: string, node: XmlNode): void {
    this.keep(parent, node);
    this.warnings.push(`${shown(parent)}/${node.name} appears more than once; the first is used and the others are kept as unknown`);
  }

  /** Records a readable warning. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Records a hard-rule violation. */
  violate(message: string): void {
    this.violations.push(message);
  }
}
