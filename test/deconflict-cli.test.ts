// `bantay deconflict` as two agencies run it from a shell (docs/deconfliction.md "Setting up"): one
// shared key handed over, each agency's identity and signing key, a peer registered by its public
// key, a file exported by one and imported by the other, the same file refused the second time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { testBackends } from './support/stores.ts';

const embedded = testBackends().find((b) => b.name === 'embedded')!;

test('bantay deconflict: key, identity, peer, export, import, list between two agencies', { skip: embedded.skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bantay-deconflict-cli-'));
  const a = await embedded.fresh();
  const b = await embedded.fresh();
  try {
    const shared = join(dir, 'shared.key');
    const made = await runCli(['deconflict', 'key', 'generate', '--out', shared], a.location, { XDG_CONFIG_HOME: join(dir, 'a') });
    assert.equal(made.code, 0, made.stderr);
    // Each agency its own configuration folder (its signing key), both the shared key.
    const envA = { XDG_CONFIG_HOME: join(dir, 'a'), BANTAY_DECONFLICT_KEY_FILE: shared };
    const envB = { XDG_CONFIG_HOME: join(dir, 'b'), BANTAY_DECONFLICT_KEY_FILE: shared };
    const idA = await runCli(['deconflict', 'identity', '--agency', 'AU-ACCCE', '--contact', 'OSEC liaison desk', '--json'], a.location, envA);
    assert.equal(idA.code, 0, idA.stderr);
    const { publicKey } = JSON.parse(idA.stdout) as { publicKey: string };
    assert.equal((await runCli(['deconflict', 'identity', '--agency', 'PH DOJ-OOC', '--contact', 'OSEC duty desk'], b.location, envB)).code, 0);
    const peer = await runCli(['deconflict', 'peer', 'add', 'AU-ACCCE', publicKey], b.location, envB);
    assert.equal(peer.code, 0, peer.stderr);
    assert.match(peer.stdout, /Registered AU-ACCCE, key fingerprint/);
    const file = join(dir, 'au.json');
    const exported = await runCli(['deconflict', 'export', '--days', '7', '--out', file], a.location, envA);
    assert.equal(exported.code, 0, exported.stderr);
    const imported = await runCli(['deconflict', 'import', file], b.location, envB);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported .*au\.json from AU-ACCCE/);
    // The same file again is a replay: refused with its reason, exit 1.
    const again = await runCli(['deconflict', 'import', file], b.location, envB);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /refused .*au\.json/);
    const list = await runCli(['deconflict', 'list', '--json'], b.location, envB);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /AU-ACCCE/);
  } finally {
    await a.dispose();
    await b.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
