// Writes the variant set (variants.ts) to a folder, one sub-folder per family laid out like the dev photos
// (qrcode-1/N.png + N.txt), so the camera benches can play a family: `--fixtures <dir>/<family>`.
// JPEG families are written without their JPEG step (that one runs in the variant bench's page).
//   npx tsx bench/scan/variants-write.ts <dir> [family,family]
import { FAMILIES, writeVariants } from './variants';
import { photos } from './camera-harness';

const [dir, only] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dir) throw new Error('usage: variants-write.ts <dir> [family,family]');
const families = only ? FAMILIES.filter((f) => only.split(',').includes(f.name)) : FAMILIES;
const items = writeVariants(photos(), dir, families);
console.log(`wrote ${items.length} images (${families.map((f) => f.name).join(', ')}) under ${dir}`);
