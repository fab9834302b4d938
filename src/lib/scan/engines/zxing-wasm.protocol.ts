// Messages between the zxing-wasm engine and its worker.
import type { ReaderOptions } from 'zxing-wasm/reader';
import type { Decoded } from './engine';

export type WorkerRequest = { id: number; type: 'init'; options?: ReaderOptions } | { id: number; type: 'decode'; frame: ImageData };

export type WorkerResponse = { id: number; ok: true; results: Decoded[]; workerMs?: number } | { id: number; ok: false; error: string };
