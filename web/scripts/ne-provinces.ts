// Which map unit (web/src/map/provinces.ts) each Natural Earth admin-1 geometry of the Philippines belongs to.
// Natural Earth predates a few PSGC changes: Compostela Valley is now Davao de Oro, Maguindanao was split
// into del Norte and del Sur (drawn as one unit), Davao Occidental is still inside Davao del Sur and Dinagat
// Islands inside Surigao del Norte (those two keep a centre mark). City polygons (id "PH.") fold into the
// province around them, as the province table counts highly urbanised cities; NCR cities form Metro Manila.

/** Natural Earth province names that differ from the PSGC name of the unit. */
const RENAMED: Record<string, string> = {
  'Compostela Valley': 'Davao de Oro',
  'Mindoro Occidental': 'Occidental Mindoro',
  'Mindoro Oriental': 'Oriental Mindoro',
  Maguindanao: 'Maguindanao',
};

/** City polygons by Natural Earth name → the name of the unit they are drawn in. */
const CITY_UNIT: Record<string, string> = {
  Zamboanga: 'Zamboanga del Sur',
  Isabela: 'Basilan', // Isabela City, Basilan (not the province of Isabela in Luzon)
  Cebu: 'Cebu',
  Mandaue: 'Cebu',
  'Lapu-Lapu': 'Cebu',
  Bacolod: 'Negros Occidental',
  Iloilo: 'Iloilo',
  Cotabato: 'Maguindanao', // Cotabato City lies inside Maguindanao del Norte
  Davao: 'Davao del Sur',
  'General Santos': 'South Cotabato',
  Iligan: 'Lanao del Norte',
  'Cagayan de Oro': 'Misamis Oriental',
  Butuan: 'Agusan del Norte',
  'Puerto Princesa': 'Palawan',
  Ormoc: 'Leyte',
  Tacloban: 'Leyte',
  Naga: 'Camarines Sur',
  Santiago: 'Isabela',
  Angeles: 'Pampanga',
  Baguio: 'Benguet',
  Olongapo: 'Zambales',
  Dagupan: 'Pangasinan',
  Lucena: 'Quezon',
};

/** The 17 NCR local government units as Natural Earth names them (16 cities and Pateros). */
const NCR = new Set([
  'Mandaluyong City',
  'Manila',
  'Navotas',
  'Caloocan',
  'Malabon',
  'Valenzuela',
  'Quezon City',
  'Marikina',
  'San Juan',
  'Pasig',
  'Makati',
  'Pasay',
  'Paranaque',
  'Las Pinas',
  'Muntinlupa',
  'Taguig',
  'Pateros',
]);

/** A unit as the script needs it: id and PSGC-style name. */
export interface UnitRef {
  id: string;
  name: string;
}

/**
 * The unit id for a Natural Earth geometry, null for the unnamed scatter of islets (id -99) that no
 * province claims, undefined when the name is not known (the script then fails rather than drop a province).
 */
export function unitForGeometry(id: string, name: string | null, units: readonly UnitRef[]): string | null | undefined {
  if (name === null || id === '-99') return null;
  const byName = new Map(units.map((u) => [u.name, u.id]));
  const isCity = id === 'PH.';
  if (isCity && NCR.has(name)) return 'NCR';
  const target = isCity ? CITY_UNIT[name] : (RENAMED[name] ?? name);
  if (target === undefined) return undefined;
  if (target === 'Maguindanao') return byName.get('Maguindanao (del Norte and del Sur)');
  return byName.get(target);
}
