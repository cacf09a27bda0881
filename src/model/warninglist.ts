/** One MISP warninglist file (github.com/MISP/misp-warninglists format). */
export interface WarninglistFile {
  name: string;
  description?: string;
  version?: number;
  type: 'cidr' | 'string' | 'hostname' | 'substring' | 'regex' | string;
  list: string[];
  matching_attributes?: string[];
}
