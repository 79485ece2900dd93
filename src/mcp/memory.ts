/**
 * A server lives for hours answering small calls, and every claude agent runs one of its own
 * (`serve --agent`), so its memory counts many times over.
 *
 * - V8 doubles the young generation (up to 2 × 16 MB) whenever a scavenge finds much alive, and
 *   keeps it: after 100 tool calls that was about 30 MB of a 115 MB `ccmcp serve` (npm run bench;
 *   README § Performance). Keeping it at its first size means more, smaller scavenges; the same
 *   100 calls cost no more CPU.
 * - --optimize-for-size makes V8 favour memory over speed (its heap grows less eagerly): with 128
 *   agents, 100 calls left 83 MB instead of 94 MB, the calls as fast (27 vs 28 ms each) for about
 *   15 % more CPU, which a server idle most of the time can spare.
 *
 * V8 reads both whenever it decides, so setting them at run time works (unlike --max-semi-space-size).
 */
import v8 from 'node:v8'

export function keepHeapLean(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1')
  v8.setFlagsFromString('--optimize-for-size')
}
