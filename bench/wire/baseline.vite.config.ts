// The "before" build bench/wire compares against, from the same sources in the same run: no precompressed
// copies (the proxy then sends every file uncompressed) and the zxing-js fallback decoder precached.
import { kioskViteConfig } from '../../vite.config.ts';

export default kioskViteConfig({ precompress: false, precacheFallbackDecoder: true });
