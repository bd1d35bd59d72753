// A window handle as the app gives it, in the one form msal-node carries to the broker plugin.
import { checkWindowHandle } from "./validation";

/**
 * Checks the handle (Electron's 4/8-byte `getNativeWindowHandle()`, a bigint or a non-negative
 * integer) and returns it as a Buffer: as given when it is bytes, else the 8 bytes of the integer
 * in this machine's order, as the addon reads them.
 */
export function normalizeWindowHandle(handle: unknown): Buffer {
  checkWindowHandle(handle);
  if (handle instanceof Uint8Array) return Buffer.from(handle);
  const bytes = Buffer.alloc(8);
  const value = BigInt(handle as number | bigint);
  if (osIsLittleEndian()) bytes.writeBigUInt64LE(value);
  else bytes.writeBigUInt64BE(value);
  return bytes;
}

function osIsLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
