// A tiny valid PMTiles (version 3) archive built by hand from the specification, for tests that draw
// a base layer: one raster tile repeated over every tile of zooms 0..maxZoom by a single run-length
// directory entry, no compression, empty metadata. Never downloaded.

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** The archive: `tile` (a PNG) at every x, y of zooms 0..maxZoom, the given bounds and centre. */
export function pmtilesArchive(tile: Buffer, opts: { maxZoom: number; bounds: [number, number, number, number]; centre: [number, number, number] }): Buffer {
  // Tile ids count every tile of the zooms below first, so zooms 0..maxZoom are ids 0 .. (4^(z+1)-1)/3 - 1.
  const tiles = (4 ** (opts.maxZoom + 1) - 1) / 3;
  // One entry: tile id 0, run length `tiles`, the tile's length, offset 0 (written as offset + 1).
  const directory = Buffer.from([...varint(1), ...varint(0), ...varint(tiles), ...varint(tile.length), ...varint(1)]);
  const metadata = Buffer.from('{}');
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const rootOffset = 127;
  const metaOffset = rootOffset + directory.length;
  const dataOffset = metaOffset + metadata.length;
  const u64 = (at: number, v: number): void => {
    header.writeBigUInt64LE(BigInt(v), at);
  };
  u64(8, rootOffset);
  u64(16, directory.length);
  u64(24, metaOffset);
  u64(32, metadata.length);
  u64(40, dataOffset); // no leaf directories
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, tile.length);
  u64(72, tiles); // addressed tiles
  u64(80, 1); // tile entries
  u64(88, 1); // tile contents
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(2, 99); // tile type: PNG
  header.writeUInt8(0, 100);
  header.writeUInt8(opts.maxZoom, 101);
  const e7 = (v: number): number => Math.round(v * 1e7);
  header.writeInt32LE(e7(opts.bounds[0]), 102);
  header.writeInt32LE(e7(opts.bounds[1]), 106);
  header.writeInt32LE(e7(opts.bounds[2]), 110);
  header.writeInt32LE(e7(opts.bounds[3]), 114);
  header.writeUInt8(opts.centre[2], 118);
  header.writeInt32LE(e7(opts.centre[0]), 119);
  header.writeInt32LE(e7(opts.centre[1]), 123);
  return Buffer.concat([header, directory, metadata, tile]);
}
