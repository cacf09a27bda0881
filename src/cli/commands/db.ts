// `bantay init`, `bantay backup`, `bantay restore`, `bantay copy` and `bantay db grant`: moving and guarding a database.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { redactUrl } from '../../store/location.ts';
import { withStore, type GlobalOptions } from '../context.ts';
import { badInput, conflict, isBantayError } from '../../model/error.ts';

/** Registers the database commands. */
export function registerDbCommands(program: Command): void {
  program
    .command('init')
    .description('make a new database (or bring an existing one up to date) at --data, BANTAY_DATA or DATABASE_URL')
    .action(async (_o: unknown, cmd: Command) => {
      const where = await withStore(cmd, async (s) => s.describe, { creates: true });
      process.stderr.write(`Database ready: ${where}\n`);
    });

  program
    .command('backup')
    .description('write a consistent backup of the embedded database (a gzipped tar of its folder); a server is backed up with pg_dump (docs/storage.md)')
    .requiredOption('--out <file>', 'the backup file to write (must not exist)')
    .action(async (opts: { out: string }, cmd: Command) => {
      const { backupEmbedded } = await import('../../store/backup.ts');
      const bytes = await withStore(cmd, (s) => backupEmbedded(s, opts.out)).catch((err: unknown) => {
        // The embedded database is one process's: while `bantay serve` holds it, the server takes the backup.
        if (isBantayError(err, 'IN_USE')) {
          throw conflict(
            'IN_USE',
            `${err.message}\nWhile bantay serve runs, back up from the Admin page (Back up now) or with POST /api/admin/backup as an admin; the file goes to the data folder's backups/.`,
          );
        }
        throw err;
      });
      process.stderr.write(`Backed up to ${opts.out} (${(bytes / 1e6).toFixed(1)} MB). Keep the audit key apart from it (docs/security.md).\n`);
    });

  program
    .command('restore')
    .description('restore a backup from `bantay backup` into a new embedded data folder')
    .argument('<file>', 'the backup file')
    .addHelpText('after', '\nThe new data folder is the global --data DIR (it must not exist or be empty).')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const data = cmd.optsWithGlobals<GlobalOptions>().data;
      if (!data) throw badInput('BAD_OPTION', 'say where to restore: bantay restore FILE --data NEW_FOLDER');
      const dir = resolve(data);
      const { restoreEmbedded } = await import('../../store/backup.ts');
      const { openStore } = await import('../../store/database.ts');
      await restoreEmbedded(file, dir);
      // Opening it checks the restored database and brings its schema up to date.
      const s = await openStore({ backend: 'embedded', dataDir: dir });
      await s.close();
      process.stderr.write(`Restored ${file} into ${dir}; use it with --data ${data}\n`);
    });

  program
    .command('copy')
    .description('copy every table of the embedded database into a PostgreSQL server (run as the owner of the target database; its tables are replaced)')
    .requiredOption('--to <url>', 'the target DATABASE_URL (postgres://…)')
    .action(async (opts: { to: string }, cmd: Command) => {
      const { copyToServer } = await import('../../store/backup.ts');
      const { openStore } = await import('../../store/database.ts');
      const target = await openStore({ backend: 'server', url: opts.to });
      try {
        const summary = await withStore(cmd, (s) => {
          if (s.location.backend !== 'embedded') throw conflict('NOT_EMBEDDED', 'copy moves an embedded database (--data DIR) to a server');
          return copyToServer(s, target, (table, rows) => process.stderr.write(`\r${table}: ${rows} rows   `));
        });
        process.stderr.write(
          `\rCopied ${summary.reduce((n, t) => n + t.rows, 0)} rows in ${summary.length} tables to ${redactUrl(opts.to)}; row counts match. Check the audit trail there: DATABASE_URL=… bantay audit verify\n`,
        );
      } finally {
        await target.close();
      }
    });

  const db = program.command('db').description('server database roles');
  db.command('grant')
    .description('as the owner (DATABASE_URL), give an application role data access but only SELECT and INSERT on the audit trail (docs/storage.md "Roles")')
    .argument('<role>', 'the application role (the user of the DATABASE_URL that bantay serve will use)')
    .action(async (role: string, _o: unknown, cmd: Command) => {
      const { grantAppRole } = await import('../../store/roles.ts');
      await withStore(cmd, async (s) => {
        if (s.location.backend !== 'server') throw badInput('NOT_A_SERVER', 'roles exist on a PostgreSQL server only (DATABASE_URL)');
        await grantAppRole(s.db, role);
      });
      process.stderr.write(`Granted ${role}: data read and write, audit trail SELECT and INSERT only. Serve with DATABASE_URL as ${role}.\n`);
    });
}
