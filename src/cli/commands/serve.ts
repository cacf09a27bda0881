import { appendFileSync, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { StoreLocation } from '../../store/database.ts';
import type { AppOptions } from '../../api/app.ts';
import { parseTrustedProxies } from '../../api/proxies.ts';
import { ROLES } from '../../cases/roles.ts';
import { chosenLocation, positiveInt, printJson, table, withStore } from '../context.ts';
import { badInput } from '../../model/error.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

// Reads one line: hidden when typed at a terminal, plain when piped (`echo … | bantay user add`).
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw badInput('BAD_OPTION', 'no password on standard input');
  }
  process.stderr.write(prompt);
  return new Promise((resolveLine, reject) => {
    let buf = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (err?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolveLine(buf);
    };
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(badInput('BAD_OPTION', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function choosePassword(opts: { generatePassword?: boolean }): Promise<{ password: string; generated: boolean }> {
  if (opts.generatePassword) {
    const { randomPassword } = await import('../../cases/passwords.ts');
    return { password: randomPassword(), generated: true };
  }
  const password = await readPassword('Password: ');
  if (process.stdin.isTTY) {
    const again = await readPassword('Again: ');
    if (again !== password) throw badInput('BAD_OPTION', 'the two passwords differ');
  }
  return { password, generated: false };
}

/** Serves a database until SIGINT or SIGTERM; `announce` hears the address once listening. */
export async function serveUntilStopped(
  location: StoreLocation,
  opts: { port: number; host: string } & AppOptions,
  announce: (url: string, describe: string) => void,
): Promise<void> {
  const { openStore } = await import('../../store/database.ts');
  const { startServer } = await import('../../api/app.ts');
  const { auditTableOwner } = await import('../../store/roles.ts');
  const store = await openStore(location);
  try {
    const { app, url } = await startServer(store, opts);
    announce(url, store.describe);
    if (store.location.backend === 'server' && !(await auditTableOwner(store.db)).separated) {
      process.stderr.write(
        'bantay: this role owns the audit trail and could disable its triggers; tampering is detected (keyed chain, anchors) but not prevented. Separate the roles: docs/storage.md "Roles"\n',
      );
    }
    await new Promise<void>((resolveStop) => {
      const stop = (): void => {
        resolveStop();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
  } finally {
    await store.close();
  }
}

/** `bantay serve`, `bantay user …`, `bantay audit …`. */
export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the API and the web app (bound to 127.0.0.1 unless --host says otherwise)')
    .option('--port <n>', 'port (default: server.port, 8080)', positiveInt('--port'))
    .option('--host <host>', 'address to listen on (default: server.host, 127.0.0.1)')
    .option('--secure-cookies', 'mark the session cookie Secure (when a TLS proxy is in front)')
    .option(
      '--trust-proxy <addresses>',
      'comma-separated addresses or CIDR ranges of your reverse proxies: X-Forwarded-For is believed only from them',
      parseTrustedProxies,
    )
    .option('--web <dir>', 'the built web app (default: server.webDir, else dist/web)')
    .option('--tiles <dir>', 'a folder of .pmtiles and .mbtiles base layers for the map (each with an optional NAME.json: name, attribution)')
    .option(
      '--mbtiles-max-mb <n>',
      'the largest .mbtiles file loaded into memory, in MB (larger: convert it to .pmtiles; default: tiles.mbtilesMaxMb, 256)',
      positiveInt('--mbtiles-max-mb'),
    )
    .option('--tile-url <template>', "a tile server on the agency's network, e.g. http://tiles.local/{z}/{x}/{y}.png")
    .option('--tile-attribution <text>', "the attribution the tile server's imagery licence asks for (required with --tile-url)")
    .option('--no-worker', 'run no jobs in this process (when `bantay worker` processes run them elsewhere)')
    .addHelpText('after', '\nEvery option has a setting (server.*, tiles.*; docs/configuration.md); an option given here wins.')
    .action(
      async (
        opts: {
          port?: number;
          host?: string;
          secureCookies?: boolean;
          trustProxy?: string[];
          web?: string;
          tiles?: string;
          mbtilesMaxMb?: number;
          tileUrl?: string;
          tileAttribution?: string;
          worker: boolean;
        },
        cmd: Command,
      ) => {
        const { config } = await import('../../config/current.ts');
        const { server, tiles: tileSettings, worker: workerSettings } = config();
        const host = opts.host ?? server.host;
        const trustProxy = opts.trustProxy ?? (server.trustProxy.length > 0 ? parseTrustedProxies(server.trustProxy.join(',')) : undefined);
        const tileUrl = opts.tileUrl ?? tileSettings.url;
        const tileAttribution = opts.tileAttribution ?? tileSettings.attribution;
        if (tileUrl && !tileAttribution)
          throw badInput(
            'BAD_OPTION',
            "--tile-url (tiles.url) needs --tile-attribution (tiles.attribution): the imagery's licence decides what the map must credit",
          );
        const tileDir = opts.tiles ?? tileSettings.dir;
        const tiles = {
          ...(tileDir ? { dir: tileDir } : {}),
          ...(tileUrl ? { url: { template: tileUrl, attribution: tileAttribution! } } : {}),
          mbtilesMaxBytes: (opts.mbtilesMaxMb ?? tileSettings.mbtilesMaxMb) * 1024 * 1024,
          notice: (m: string) => process.stderr.write(`bantay: ${m}\n`),
        };
        const secureCookies = opts.secureCookies === true || server.secureCookies;
        const runJobs = opts.worker && server.runJobs;
        if (!LOOPBACK.has(host))
          process.stderr.write(`bantay: listening on ${host}, not only on this machine: put a TLS proxy in front and use --secure-cookies\n`);
        await serveUntilStopped(
          await chosenLocation(cmd),
          {
            port: opts.port ?? server.port,
            host,
            secureCookies,
            tiles,
            ...(trustProxy ? { trustProxy } : {}),
            ...(opts.web ? { webDir: opts.web } : {}),
            // One box: the server runs the jobs its requests queue, as a worker configured by worker.* would.
            worker: runJobs
              ? {
                  concurrency: workerSettings.concurrency,
                  staleAfterMs: workerSettings.staleAfterSeconds * 1000,
                  ...(workerSettings.roles.length ? { roles: [...workerSettings.roles] } : {}),
                }
              : false,
          },
          (url, describe) =>
            process.stderr.write(
              `Bantay is serving ${describe} at ${url}${runJobs ? ' (running jobs here too)' : ' (jobs run by `bantay worker` processes)'}\n`,
            ),
        );
      },
    );

  const user = program.command('user').description('accounts: add, passwd, disable, enable, totp, list, sessions');
  user
    .command('add')
    .description('create an account; the password is typed (hidden), piped on stdin, or generated with --generate-password')
    .argument('<username>')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <display>', 'display name')
    .option('--team <team>', "team (analysts see their team's reports when the queue is not open to all)")
    .option('--totp', 'set up a TOTP second factor (always for admins)')
    .option('--generate-password', 'generate a random password and print it once')
    .action(async (username: string, opts: { role: string; name?: string; team?: string; totp?: boolean; generatePassword?: boolean }, cmd: Command) => {
      const { createUser } = await import('../../cases/accounts.ts');
      const { password, generated } = await choosePassword(opts);
      const out = await withStore(cmd, (s) =>
        createUser(s, {
          username,
          password,
          role: opts.role,
          ...(opts.name ? { displayName: opts.name } : {}),
          team: opts.team ?? null,
          totp: opts.totp === true,
        }),
      );
      process.stdout.write(`Created ${out.user.role} ${out.user.username} (id ${out.user.id}).\n`);
      if (generated) process.stdout.write(`Password (shown once): ${password}\n`);
      if (out.totpUri) process.stdout.write(`TOTP: add this to an authenticator app (shown once):\n${out.totpUri}\n`);
    });
  user
    .command('passwd')
    .description("set a new password (ends the account's sessions)")
    .argument('<username>')
    .option('--generate-password', 'generate a random password and print it once')
    .action(async (username: string, opts: { generatePassword?: boolean }, cmd: Command) => {
      const { setPassword } = await import('../../cases/accounts.ts');
      const { password, generated } = await choosePassword(opts);
      await withStore(cmd, (s) => setPassword(s, username, password));
      process.stdout.write(`Password of ${username} changed; its sessions are ended.\n`);
      if (generated) process.stdout.write(`Password (shown once): ${password}\n`);
    });
  user
    .command('disable')
    .description('disable an account (ends its sessions)')
    .argument('<username>')
    .action(async (username: string, _o: unknown, cmd: Command) => {
      const { setDisabled } = await import('../../cases/accounts.ts');
      await withStore(cmd, (s) => setDisabled(s, username, true));
      process.stdout.write(`Disabled ${username}.\n`);
    });
  user
    .command('enable')
    .description('enable a disabled account')
    .argument('<username>')
    .action(async (username: string, _o: unknown, cmd: Command) => {
      const { setDisabled } = await import('../../cases/accounts.ts');
      await withStore(cmd, (s) => setDisabled(s, username, false));
      process.stdout.write(`Enabled ${username}.\n`);
    });
  user
    .command('totp')
    .description('set up a fresh TOTP second factor and print the otpauth URI (the old one stops working)')
    .argument('<username>')
    .action(async (username: string, _o: unknown, cmd: Command) => {
      const { resetTotp } = await import('../../cases/accounts.ts');
      const uri = await withStore(cmd, (s) => resetTotp(s, username));
      process.stdout.write(`TOTP for ${username}: add this to an authenticator app (shown once):\n${uri}\n`);
    });
  user
    .command('list')
    .description('every account')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listUsers } = await import('../../cases/accounts.ts');
      const rows = await withStore(cmd, (s) => listUsers(s), { quick: true });
      if (opts.json) return printJson(rows);
      if (rows.length === 0) return void process.stdout.write('No accounts. Create the first admin with `bantay user add NAME --role admin`.\n');
      process.stdout.write(
        `${table(
          ['id', 'username', 'role', 'team', 'totp', 'disabled', 'name'],
          rows.map((u) => [u.id, u.username, u.role, u.team, u.totpEnabled ? 'yes' : 'no', u.disabled ? 'yes' : '', u.displayName]),
        )}\n`,
      );
    });

  user
    .command('sessions')
    .description("an account's sessions (where and when signed in); --revoke ID or --revoke all ends them")
    .argument('<username>')
    .option('--revoke <id>', 'end the session with this id, or `all`')
    .option('--json', 'print as JSON')
    .action(async (username: string, opts: { revoke?: string; json?: boolean }, cmd: Command) => {
      const { CLI_ACTOR, findUser } = await import('../../cases/accounts.ts');
      const { listOwnSessions, revokeSessions } = await import('../../cases/sessions.ts');
      const out = await withStore(cmd, async (s) => {
        const u = await findUser(s, username);
        const ended = opts.revoke ? await revokeSessions(s, u, opts.revoke, CLI_ACTOR) : 0;
        return { ended, sessions: await listOwnSessions(s, u.id) };
      });
      if (opts.revoke) process.stdout.write(`Ended ${out.ended} session${out.ended === 1 ? '' : 's'} of ${username}.\n`);
      if (opts.json) return printJson(out.sessions);
      if (out.sessions.length === 0) return void process.stdout.write(`${username} has no session.\n`);
      process.stdout.write(
        `${table(
          ['id', 'signed in', 'last seen', 'address', 'browser'],
          out.sessions.map((x) => [x.id, x.createdAt, x.lastSeenAt, x.ip, (x.userAgent ?? '').slice(0, 60)]),
        )}\n`,
      );
    });

  const audit = program.command('audit').description('the audit trail: verify the hash and MAC chain, anchor its head, export it');
  audit
    .command('verify')
    .description(
      "check every entry's hash, MAC and link to the one before and list every problem (exit 1 when any); --file checks an export instead; --anchors also checks signed anchors (truncation, tail deletion, re-chaining)",
    )
    .option('--file <path>', 'a JSON-lines export from `bantay audit export`')
    .option('--anchors <path>', 'an anchor file written by `bantay audit anchor --out`')
    .option('--json', 'print as JSON')
    .action(async (opts: { file?: string; anchors?: string; json?: boolean }, cmd: Command) => {
      const { parseAnchors, verifyAuditChain, verifyAuditLines } = await import('../../cases/audit.ts');
      const anchors = opts.anchors ? parseAnchors(readFileSync(opts.anchors, 'utf8')) : undefined;
      const v = opts.file
        ? await verifyAuditLines(readFileSync(opts.file, 'utf8').split('\n'), anchors ? { anchors } : {})
        : await withStore(cmd, (s) => verifyAuditChain(s, anchors ? { anchors } : {}));
      if (opts.json) printJson(v);
      else {
        const keyed = v.keyed
          ? `keyed chain checked${v.unkeyedPrefix ? ` (the first ${v.unkeyedPrefix} entries predate it and are sealed by the next)` : ''}`
          : 'MACs NOT checked: no audit key here (BANTAY_AUDIT_KEY_FILE)';
        const anchored = v.anchors !== undefined ? `, ${v.anchors} anchor${v.anchors === 1 ? '' : 's'} checked` : '';
        if (v.ok) process.stdout.write(`Audit trail intact: ${v.entries} entries, last hash ${v.lastHash}; ${keyed}${anchored}\n`);
        else {
          process.stdout.write(
            `Audit trail BROKEN at entry ${v.firstBad!.seq}: ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'} in ${v.entries} entries; ${keyed}${anchored}\n`,
          );
          for (const p of v.problems)
            process.stdout.write(`  ${p.fromSeq === p.toSeq ? `entry ${p.fromSeq}` : `entries ${p.fromSeq}–${p.toSeq}`}: ${p.problem}\n`);
        }
      }
      if (!v.ok) process.exitCode = 1;
    });
  audit
    .command('anchor')
    .description(
      "write a signed checkpoint (Ed25519) of the trail's last entry; keep the file on write-once storage away from the database and check it with `audit verify --anchors`",
    )
    .option('--out <path>', 'append the anchor to this file (default: standard output)')
    .action(async (opts: { out?: string }, cmd: Command) => {
      const { makeAnchor } = await import('../../cases/audit.ts');
      const a = await withStore(cmd, (s) => makeAnchor(s));
      const line = `${JSON.stringify(a)}\n`;
      if (opts.out) {
        appendFileSync(opts.out, line, { mode: 0o644 });
        process.stderr.write(`Anchored entry ${a.seq} (hash ${a.hash.slice(0, 16)}…) in ${opts.out}\n`);
      } else process.stdout.write(line);
    });
  audit
    .command('export')
    .description('write every entry as JSON lines (verifiable on its own with `bantay audit verify --file`)')
    .option('--out <path>', 'file to write (default: standard output)')
    .action(async (opts: { out?: string }, cmd: Command) => {
      const { exportAudit } = await import('../../cases/audit.ts');
      const out = opts.out ? createWriteStream(opts.out, { flags: 'wx' }) : process.stdout;
      const n = await withStore(cmd, (s) =>
        exportAudit(s, (line) => {
          out.write(line);
        }),
      );
      if (opts.out) {
        await new Promise<void>((resolveEnd, reject) => {
          out.once('error', reject);
          (out as ReturnType<typeof createWriteStream>).end(() => resolveEnd());
        });
        process.stderr.write(`Wrote ${n} audit entries to ${opts.out}\n`);
      }
    });
}
