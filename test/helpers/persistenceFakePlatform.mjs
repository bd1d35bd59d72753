// Preloaded with `node --import` to run the persistence wiring of another OS on Linux:
// process.platform reads FAKE_PLATFORM, and @azure/msal-node-extensions is replaced by stores on
// plain files (under $HOME/fake-secrets) that record how they were created. DPAPI and the Keychain
// cannot run here; this checks which store, path, entry and scope our code asks for.
import Module from "node:module";
import { promises as fs, mkdirSync } from "node:fs";
import path from "node:path";

Object.defineProperty(process, "platform", { value: process.env.FAKE_PLATFORM });
const calls = (globalThis.__persistenceCalls = []);
const secrets = path.join(process.env.HOME, "fake-secrets");

class FileStore {
  constructor(file, data) {
    this.file = file;
    this.data = data;
  }
  static async at(file, data) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.appendFile(file, "");
    mkdirSync(path.dirname(data), { recursive: true });
    return new FileStore(file, data);
  }
  async save(contents) {
    await fs.writeFile(this.data, contents);
    if (this.data !== this.file) await fs.writeFile(this.file, "{}");
  }
  async load() {
    return fs.readFile(this.data, "utf8").catch(() => null);
  }
  async delete() {
    await fs.rm(this.file, { force: true });
    await fs.rm(this.data, { force: true });
    return true;
  }
  getFilePath() {
    return this.file;
  }
}

const fake = {
  FilePersistence: {
    create: (file) => (calls.push(["FilePersistence", path.basename(file)]), FileStore.at(file, file)),
  },
  FilePersistenceWithDataProtection: {
    create: (file, scope) => (calls.push(["FilePersistenceWithDataProtection", file, scope]), FileStore.at(file, file)),
  },
  KeychainPersistence: {
    create: (file, service, account) => (
      calls.push(["KeychainPersistence", file, service, account]),
      FileStore.at(file, path.join(secrets, service, account))
    ),
  },
  LibSecretPersistence: {
    create: () => Promise.reject(new Error("not on this platform")),
  },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "@azure/msal-node-extensions") return fake;
  // entra-broker loads each persistence class from its own file (dist/persistence/<Class>.mjs).
  const deep = /msal-node-extensions[\\/]dist[\\/]persistence[\\/](\w+)\.mjs$/.exec(request);
  if (deep) return { [deep[1]]: fake[deep[1]] };
  return load.call(this, request, ...rest);
};
