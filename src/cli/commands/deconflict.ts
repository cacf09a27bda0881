import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { MatchSummary } from '../../deconflict/run.ts';
import { DEFAULT_VALID_DAYS } from '../../deconflict/file.ts';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { badInput, isBantayError } from '../../model/error.ts';

const matched = (m: MatchSummary): string =>
  `${m.marked} report(s) marked by other agencies' active cases (${m.direct} through their own identifiers)` +
  `${m.expired.length ? `; expired and dropped: ${m.expired.join(', ')}` : ''}${m.unhashed ? `; ${m.unhashed} report(s) not hashed: no shared key here` : ''}`;

/** `bantay deconflict …`: deconfliction between agencies through signed files of keyed hashes (docs/deconfliction.md). */
export function registerDeconflictCommands(program: Command): void {
  const d = program
    .command('deconflict')
    .description("deconfliction between agencies: exchange signed files of keyed hashes of active cases' identifiers (docs/deconfliction.md)");

  d.command('identity')
    .description(
      "set this agency's name and contact role (what its files say), create its signing key if it has none, and print the public key to give to peers",
    )
    .option('--agency <name>', 'this agency as peers will register it, e.g. "PH DOJ-OOC"')
    .option('--contact <role>', 'whom peers should call, as a role (never a person\'s name), e.g. "OSEC duty desk"')
    .option('--json', 'print as JSON')
    .action(async (opts: { agency?: string; contact?: string; json?: boolean }, cmd: Command) => {
      const { ensureSigningKey } = await import('../../deconflict/keys.ts');
      const { identity, setIdentity } = await import('../../deconflict/run.ts');
      const id = await withStore(cmd, async (s) => {
        const had = await identity(s);
        if (opts.agency || opts.contact) {
          const agency = opts.agency ?? had?.agency;
          const contact = opts.contact ?? had?.contact;
          if (!agency || !contact) throw badInput('NO_IDENTITY', 'give both --agency and --contact the first time');
          return setIdentity(s, { agency, contact });
        }
        return had;
      });
      const { key, created } = ensureSigningKey();
      if (opts.json) return printJson({ identity: id, publicKey: key.publicKeyText, fingerprint: key.fingerprint, signingKey: key.source, created });
      if (created)
        process.stderr.write(`bantay: created this agency's signing key ${key.source} (readable by this user only). Keep it out of the database's backups.\n`);
      process.stdout.write(
        `${id ? `Agency: ${id.agency} (contact: ${id.contact})\n` : 'Agency: not set (give --agency and --contact)\n'}` +
          `Public key (give it to each peer, who registers it with \`bantay deconflict peer add "${id?.agency ?? 'NAME'}" KEY\`):\n${key.publicKeyText}\n` +
          `Fingerprint (read it to them over the phone to confirm): ${key.fingerprint}\n`,
      );
    });

  const key = d.command('key').description('the shared key every participating agency holds (agreed out of band)');
  key
    .command('generate')
    .description('make a new shared key in a new file, to hand to the partner agencies out of band (never by the same channel as the files)')
    .requiredOption('--out <file>', 'where to write it (mode 0600; never overwritten)')
    .action(async (opts: { out: string }) => {
      const { generateSharedKey } = await import('../../deconflict/keys.ts');
      const k = generateSharedKey(opts.out);
      process.stdout.write(
        `Wrote a new shared key to ${opts.out} (key id ${k.id}).\n` +
          'Each agency puts it in ~/.config/bantay/deconflict.key (or BANTAY_DECONFLICT_KEY_FILE); the key id must read the same everywhere.\n',
      );
    });
  key
    .command('id')
    .description("print the id of the configured shared key (compare it with the peers' out of band)")
    .action(async () => {
      const { sharedKey } = await import('../../deconflict/keys.ts');
      const k = sharedKey();
      process.stdout.write(`${k.id}  (${k.source})\n`);
    });

  const peer = d.command('peer').description('the agencies whose files are accepted');
  peer
    .command('add')
    .description('register a peer agency and its public key (as `bantay deconflict identity` printed it there)')
    .argument('<name>', 'the agency name, exactly as its files say it')
    .argument('<publickey>', "its public key (base64) or a PEM file's text")
    .option('--replace', 'replace the key of a peer already registered')
    .action(async (name: string, publicKey: string, opts: { replace?: boolean }, cmd: Command) => {
      const { addPeer } = await import('../../cases/deconfliction.ts');
      const p = await withStore(cmd, (s) => addPeer(s, name, publicKey, { replace: opts.replace === true }));
      process.stdout.write(`Registered ${p.name}, key fingerprint ${p.fingerprint}: confirm it with them out of band.\n`);
    });
  peer
    .command('remove')
    .description('remove a peer, its file and the marks it made')
    .argument('<name>')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const { removePeer } = await import('../../cases/deconfliction.ts');
      const m = await withStore(cmd, (s) => removePeer(s, name));
      process.stdout.write(`Removed ${name}; ${matched(m)}.\n`);
    });

  d.command('export')
    .description("write this agency's signed file: keyed hashes of the identifiers of its ACTIVE cases, with its name, contact role and an expiry (audited)")
    .option('--agency <name>', 'override the stored agency name')
    .option('--contact <role>', 'override the stored contact role')
    .option('--days <n>', `days the file stays valid (1-90, default ${DEFAULT_VALID_DAYS}); export again before it runs out`, positiveInt('--days'))
    .option('--out <file>', 'where to write it (default deconfliction-AGENCY-DATE.json here)')
    .action(async (opts: { agency?: string; contact?: string; days?: number; out?: string }, cmd: Command) => {
      const { exportDeconfliction } = await import('../../cases/deconfliction.ts');
      const e = await withStore(cmd, (s) =>
        exportDeconfliction(s, {
          ...(opts.agency ? { agency: opts.agency } : {}),
          ...(opts.contact ? { contact: opts.contact } : {}),
          ...(opts.days !== undefined ? { days: opts.days } : {}),
        }),
      );
      const out = opts.out ?? `deconfliction-${e.file.agency.replace(/[^A-Za-z0-9._-]+/g, '_')}-${e.file.issuedAt.slice(0, 10)}.json`;
      writeFileSync(out, e.text);
      process.stdout.write(`Wrote ${out}: ${e.file.entries.length} keyed hash(es), valid until ${e.file.expiresAt}, sha256 ${e.sha256}.\n`);
    });

  d.command('import')
    .description(
      "import peers' files: each is checked (signed by the registered key, same shared key, not expired, newer than the one held) and replaces that peer's previous file (audited)",
    )
    .argument('<files...>')
    .option('--json', 'print the outcome of each file as JSON')
    .action(async (files: string[], opts: { json?: boolean }, cmd: Command) => {
      const { importDeconfliction } = await import('../../cases/deconfliction.ts');
      const results = await withStore(cmd, async (s) => {
        const out: (
          { file: string; ok: true; peer: string; entries: number; expiresAt: string; match: MatchSummary } | { file: string; ok: false; reason: string }
        )[] = [];
        for (const file of files) {
          try {
            const r = await importDeconfliction(s, readFileSync(file), { name: basename(file) });
            out.push({ file, ok: true, peer: r.peer, entries: r.entries, expiresAt: r.expiresAt, match: r.match });
          } catch (err) {
            // One refused file does not stop the others; every refusal is in the audit trail.
            const refused = isBantayError(err) && err.kind !== 'internal';
            if (!refused && !(err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).code === 'ENOENT')) throw err;
            out.push({ file, ok: false, reason: refused ? err.message : `cannot read ${file}` });
          }
        }
        return out;
      });
      if (results.some((r) => !r.ok)) process.exitCode = 1;
      if (opts.json) return printJson(results);
      for (const r of results) {
        if (r.ok) process.stdout.write(`Imported ${r.file} from ${r.peer}: ${r.entries} keyed hash(es), valid until ${r.expiresAt}; ${matched(r.match)}.\n`);
        else process.stderr.write(`bantay: refused ${r.file}: ${r.reason}\n`);
      }
    });

  d.command('match')
    .description('recompute the marks now (expired files drop out; new reports are hashed): `bantay ingest` does this itself')
    .action(async (_o: unknown, cmd: Command) => {
      const { matchExternal } = await import('../../deconflict/run.ts');
      const m = await withStore(cmd, (s) => matchExternal(s));
      process.stdout.write(`${matched(m)}.\n`);
    });

  d.command('list')
    .description("this agency's identity and keys (fingerprints only), the peers, their files and the reports they mark")
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { deconflictionState } = await import('../../deconflict/run.ts');
      const st = await withStore(cmd, (s) => deconflictionState(s), { quick: true });
      if (opts.json) return printJson(st);
      const now = Date.now();
      process.stdout.write(
        `Agency: ${st.identity ? `${st.identity.agency} (contact: ${st.identity.contact})` : 'not set'}\n` +
          `Signing key: ${st.signingKey ? `fingerprint ${st.signingKey.fingerprint}` : 'none (bantay deconflict identity)'}\n` +
          `Shared key: ${st.sharedKey ? `id ${st.sharedKey.id}` : 'none configured'}\n`,
      );
      if (st.peers.length === 0) return void process.stdout.write('No peers registered.\n');
      process.stdout.write(
        `${table(
          ['peer', 'fingerprint', 'contact', 'issued', 'expires', 'hashes', 'reports marked'],
          st.peers.map((p) => [
            p.name,
            p.fingerprint,
            p.file?.contact ?? '',
            p.file?.issuedAt.slice(0, 10) ?? 'no file',
            p.file ? `${p.file.expiresAt.slice(0, 10)}${Date.parse(p.file.expiresAt) <= now ? ' (expired)' : ''}` : '',
            p.file?.entries ?? '',
            p.reportsMarked,
          ]),
        )}\n${st.reportsMarked} report(s) marked in all.\n`,
      );
    });
}
