// A tiny MBTiles file built in the test with sql.js (the reader Bantay serves them with): the
// spec's two tables, tiles given in the XYZ scheme and stored with the TMS row MBTiles uses.
import initSqlJs from 'sql.js';

/** One tile, its row counted from the north as web maps do. */
export interface XyzTile {
  z: number;
  x: number;
  y: number;
  bytes: Uint8Array;
}

/** The bytes of an .mbtiles file holding these tiles and metadata (or any other tables, for hostile files). */
export async function mbtilesFile(tiles: XyzTile[], metadata: Record<string, string>, opts: { tables?: string[] } = {}): Promise<Buffer> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    for (const t of opts.tables ?? [
      'create table metadata (name text, value text)',
      'create table tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)',
    ])
      db.run(t);
    for (const [k, v] of Object.entries(metadata)) db.run('insert into metadata (name, value) values (?, ?)', [k, v]);
    for (const t of tiles) db.run('insert into tiles values (?, ?, ?, ?)', [t.z, t.x, 2 ** t.z - 1 - t.y, t.bytes]);
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}
