/** `ccmcp key rotate`: a new master key, and everything encrypted at rest re-encrypted with it. */
import * as z from 'zod'

import {defineOperation} from '../pipeline/operation.js'

export const rotateKey = defineOperation({
  name: 'rotate_key',
  title: 'Rotate the master key',
  description:
    "Create a new master key in the same place as the current one (keychain or key file), re-encrypt every encrypted file in the ccmcp home with it, then retire the old key. Safe to interrupt: running it again finishes the rotation.",
  level: 'HIGH',
  callers: ['operator'],
  annotations: {readOnly: false, destructive: false, idempotent: false},
  // It changes ccmcp itself: the operator's alone.
  mcp: false,
  input: z.object({}),
  output: z.object({
    previousKeyId: z.string().describe('Id of the retired key'),
    keyId: z.string().describe('Id of the new key'),
    files: z.array(z.string()).describe('Files re-encrypted'),
    resumed: z.boolean().describe('true when this finished a rotation that had been interrupted'),
  }),
  async handler(_input, {deps}) {
    return deps.ports.keyRotation.rotate()
  },
})
