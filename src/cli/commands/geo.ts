import type { Command } from 'commander';
import type { GeoLevel } from '../../geo/boundaries.ts';
import { printJson, table, withStore } from '../context.ts';
import { badInput } from '../../model/error.ts';

function level(v: string): GeoLevel {
  if (v !== 'region' && v !== 'province' && v !== 'municipality') throw badInput('BAD_OPTION', `--level is region, province or municipality, got "${v}"`);
  return v;
}

/** `bantay geo import` and `bantay geo layers`. */
export function registerGeoCommands(program: Command): void {
  const geo = program.command('geo').description("boundary layers for the map (municipality and city level), at the agency's hand");
  geo
    .command('import')
    .description('import a GeoJSON or TopoJSON boundary file keyed by PSGC code (e.g. the PSA/NAMRIA boundaries published through OCHA)')
    .argument('<file>', 'the boundary file (WGS 84 longitude/latitude)')
    .option('--name <layer>', 'the layer name (default: its level, so a new file replaces the old)')
    .option('--level <level>', 'region, province or municipality (default: from the codes)', level)
    .option('--key <property>', 'the property holding the PSGC code (default: the one with the most distinct codes, e.g. ADM3_PCODE)')
    .option('--name-property <property>', 'the property holding the name (default: e.g. ADM3_EN or name)')
    .option('--object <name>', 'TopoJSON: the object to read (default: all)')
    .option('--json', 'print the summary as JSON')
    .action(
      async (file: string, o: { name?: string; level?: GeoLevel; key?: string; nameProperty?: string; object?: string; json?: boolean }, cmd: Command) => {
        const { importBoundaries } = await import('../../geo/run.ts');
        const s = await withStore(cmd, (store) =>
          importBoundaries(store, file, {
            ...(o.name ? { name: o.name } : {}),
            ...(o.level ? { level: o.level } : {}),
            ...(o.key ? { keyProperty: o.key } : {}),
            ...(o.nameProperty ? { nameProperty: o.nameProperty } : {}),
            ...(o.object ? { object: o.object } : {}),
          }),
        );
        if (o.json) return printJson(s);
        process.stdout.write(
          `${s.unchanged ? 'Unchanged' : 'Imported'} layer "${s.name}" (${s.level}): ${s.features} boundaries keyed by ${s.keyProperty}, named by ${s.nameProperty ?? '(code)'}; ${s.rejected.length} set aside\n`,
        );
        for (const r of s.rejected.slice(0, 20)) process.stdout.write(`  feature ${r.index}: ${r.reason}\n`);
        if (s.rejected.length > 20) process.stdout.write(`  … and ${s.rejected.length - 20} more (--json lists them all)\n`);
        if (s.rejected.length > 0) process.exitCode = 3;
      },
    );
  geo
    .command('layers')
    .description('the imported boundary layers')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const { listGeoLayers } = await import('../../geo/run.ts');
      const layers = await withStore(cmd, (store) => listGeoLayers(store), { quick: true });
      if (o.json) return printJson(layers);
      if (layers.length === 0) return void process.stdout.write('No boundary layer imported; the map shows the provinces shipped with the app.\n');
      process.stdout.write(
        `${table(
          ['layer', 'level', 'features', 'set aside', 'source', 'imported'],
          layers.map((l) => [l.name, l.level, l.features, l.rejected.length, l.source, l.importedAt.slice(0, 16)]),
        )}\n`,
      );
    });
}
