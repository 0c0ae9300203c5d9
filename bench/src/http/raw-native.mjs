// raw-native as the engine's raw model runs it. BENCH_NATIVE_READ=arraybuffer
// makes it read the body with arrayBuffer() instead of a stream reader.
import { native, nativeArrayBuffer } from './raw-handlers.mjs';

export default process.env.BENCH_NATIVE_READ === 'arraybuffer' ? nativeArrayBuffer : native;
