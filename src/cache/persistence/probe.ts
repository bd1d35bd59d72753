import { randomBytes } from "node:crypto";
import type { Persistence } from "./extensions";

/**
 * Writes a random value, reads it back and deletes it, in a store of its own: a read alone passes
 * on a locked keyring (it answers "nothing there"), only a write shows the store is usable.
 * `whileWaiting` runs while the write is in flight (see StoreOptions).
 */
export async function probe(create: (unique: string) => Promise<Persistence>, whileWaiting?: () => void): Promise<void> {
  const unique = `probe-${process.pid}-${randomBytes(6).toString("hex")}`;
  const store = await create(unique);
  const value = randomBytes(16).toString("hex");
  try {
    const saved = store.save(value);
    runQuietly(whileWaiting); // the write's round trip takes longer than anything else here
    await saved;
    const back = await store.load();
    if (back !== value) throw new Error(back === null ? "a value written could not be read back" : "a value written was read back changed");
  } finally {
    await store.delete().catch(() => false); // the probe's own entry; a failure here changes nothing
  }
}

/** The caller's work to run while a round trip is in flight (see StoreOptions); its failure is the caller's to meet later. */
export function runQuietly(work: (() => void) | undefined): void {
  try {
    work?.();
  } catch {
    // it fails again, with its own error, where the caller needs it
  }
}
