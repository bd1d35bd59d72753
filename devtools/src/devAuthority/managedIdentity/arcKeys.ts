// Azure Arc's challenge: a request without a key gets 401 and `WWW-Authenticate: Basic realm=<key file>`;
// the caller reads the file and sends `Authorization: Basic <its content>`. Only a process that can
// read the agent's folder can do that.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const MAX_PENDING = 32;

export class ArcKeys {
  readonly folder: string;
  private readonly ownFolder: boolean;
  private readonly pending = new Map<string, string>(); // secret -> file

  constructor(folder?: string) {
    this.ownFolder = !folder;
    this.folder = folder ?? mkdtempSync(path.join(tmpdir(), "entra-dev-arc-"));
    mkdirSync(this.folder, { recursive: true });
  }

  /** Writes a new key file; returns its path, for the realm. */
  challenge(): string {
    const secret = randomBytes(32).toString("hex");
    const file = path.join(this.folder, `${randomBytes(8).toString("hex")}.key`);
    writeFileSync(file, secret, { mode: 0o600 });
    this.pending.set(secret, file);
    if (this.pending.size > MAX_PENDING) this.forget(this.pending.keys().next().value as string);
    return file;
  }

  /** True when the Authorization header carries a key this endpoint wrote; the key is then used up. */
  accept(authorization: string | undefined): boolean {
    const secret = /^Basic (\S+)$/.exec(authorization ?? "")?.[1];
    if (!secret || !this.pending.has(secret)) return false;
    this.forget(secret);
    return true;
  }

  close(): void {
    for (const secret of [...this.pending.keys()]) this.forget(secret);
    if (this.ownFolder) rmSync(this.folder, { recursive: true, force: true });
  }

  private forget(secret: string): void {
    const file = this.pending.get(secret);
    this.pending.delete(secret);
    if (file) rmSync(file, { force: true });
  }
}
