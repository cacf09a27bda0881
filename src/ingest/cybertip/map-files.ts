// Mapping the envelope's fileDetails: one reported file's metadata and hashes (never imagery).

import type { FileDetails, FileMetadata } from '../../model/report.ts';
import { annotationNames, attr, device, first, indexed, ipEvent, otherAttrs, required, setBool } from './map-common.ts';
import type { MapContext } from './map-context.ts';
import { dateTimeOf, leaf, leafAt } from './values.ts';
import type { XmlNode } from './xml-node.ts';

function fileMetadata(n: XmlNode, path: string, ctx: MapContext): FileMetadata {
  otherAttrs(n, path, ctx, ['type']);
  const m: FileMetadata = { pairs: [] };
  const type = attr(n, 'type');
  if (type !== undefined) m.type = type;
  for (const c of n.children) {
    if (c.name !== 'nameValuePair') {
      ctx.keep(path, c);
      continue;
    }
    const pairPath = indexed(path, 'nameValuePair', m.pairs.length);
    otherAttrs(c, pairPath, ctx, []);
    let name: string | undefined;
    let value: string | undefined;
    for (const g of c.children) {
      if (g.name === 'name') {
        if (first(name, g, pairPath, ctx)) name = leaf(g, pairPath, ctx);
      } else if (g.name === 'value') {
        if (first(value, g, pairPath, ctx)) value = leaf(g, pairPath, ctx);
      } else ctx.keep(pairPath, g);
    }
    m.pairs.push({ name: required(name, `${pairPath}/name`, ctx), value: required(value, `${pairPath}/value`, ctx) });
  }
  return m;
}

/** Maps an envelope fileDetails element at `path`. */
export function fileDetails(n: XmlNode, path: string, ctx: MapContext): FileDetails {
  otherAttrs(n, path, ctx, []);
  let fileId: string | undefined;
  const f: Omit<FileDetails, 'fileId'> = {
    fileAnnotations: [],
    originalFileHashes: [],
    deviceIds: [],
    details: [],
    additionalInfo: [],
  };
  let sawAnnotations = false;
  let sawUpload = false;
  for (const c of n.children) {
    switch (c.name) {
      case 'reportId':
        if (first(f.reportId, c, path, ctx)) f.reportId = leaf(c, path, ctx).trim();
        break;
      case 'fileId':
        if (first(fileId, c, path, ctx)) fileId = leaf(c, path, ctx).trim();
        break;
      case 'fileName':
        if (first(f.fileName, c, path, ctx)) f.fileName = leaf(c, path, ctx);
        break;
      case 'originalFileName':
        if (first(f.originalFileName, c, path, ctx)) f.originalFileName = leaf(c, path, ctx);
        break;
      case 'uploadedToEspTimestamp':
        if (first(sawUpload ? true : undefined, c, path, ctx)) {
          sawUpload = true;
          const v = dateTimeOf(c, path, ctx);
          if (v !== undefined) f.uploadedToEspTimestamp = v;
        }
        break;
      case 'locationOfFile':
        if (first(f.locationOfFile, c, path, ctx)) f.locationOfFile = leaf(c, path, ctx);
        break;
      case 'fileViewedByEsp':
        setBool(f, 'fileViewedByEsp', c, path, ctx);
        break;
      case 'exifViewedByEsp':
        setBool(f, 'exifViewedByEsp', c, path, ctx);
        break;
      case 'publiclyAvailable':
        setBool(f, 'publiclyAvailable', c, path, ctx);
        break;
      case 'fileRelevance':
        if (first(f.fileRelevance, c, path, ctx)) f.fileRelevance = leaf(c, path, ctx);
        break;
      case 'potentialMeme':
        setBool(f, 'potentialMeme', c, path, ctx);
        break;
      case 'fileAnnotations':
        if (first(sawAnnotations ? true : undefined, c, path, ctx)) {
          sawAnnotations = true;
          f.fileAnnotations = annotationNames(c, `${path}/${c.name}`, ctx);
        }
        break;
      case 'industryClassification':
        if (first(f.industryClassification, c, path, ctx)) f.industryClassification = leaf(c, path, ctx);
        break;
      case 'originalFileHash': {
        const hPath = indexed(path, 'originalFileHash', f.originalFileHashes.length);
        otherAttrs(c, hPath, ctx, ['hashType']);
        f.originalFileHashes.push({ hashType: required(attr(c, 'hashType'), `${hPath}/@hashType`, ctx), value: leafAt(c, hPath, ctx, true) });
        break;
      }
      case 'ipCaptureEvent':
        if (first(f.ipCaptureEvent, c, path, ctx)) f.ipCaptureEvent = ipEvent(c, `${path}/${c.name}`, ctx);
        break;
      case 'deviceId':
        f.deviceIds.push(device(c, indexed(path, 'deviceId', f.deviceIds.length), ctx));
        break;
      case 'details':
        f.details.push(fileMetadata(c, indexed(path, 'details', f.details.length), ctx));
        break;
      case 'additionalInfo':
        f.additionalInfo.push(leaf(c, path, ctx));
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return { fileId: required(fileId, `${path}/fileId`, ctx), ...f };
}
