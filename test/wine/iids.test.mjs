// The IIDs written by hand in native/win/winrt_abi.h and the stand-in's abi_extra.h: every
// parameterized one is recomputed here by the WinRT rule from its generic IID and type arguments
// (winrtIid.mjs, itself checked against IIDs mingw-w64 ships), the COM/WinRT base ones are checked
// against mingw-w64's headers, and no IID is declared twice with different values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parameterizedIid, pinterface, wamIids } from "./winrtIid.mjs";
import { root } from "./wine.mjs";

/** name -> "xxxxxxxx-xxxx-..." for every `kIID_<name> = MakeGuid(...)` in a header. */
function declaredIids(file) {
  const text = readFileSync(file, "utf8");
  const out = {};
  for (const m of text.matchAll(/kIID_(\w+)\s*=\s*MakeGuid\(([^)]*)\)/g)) {
    const n = m[2].split(",").map((x) => BigInt(x.trim()));
    const hex = (v, w) => v.toString(16).padStart(w, "0");
    out[m[1]] = `${hex(n[0], 8)}-${hex(n[1], 4)}-${hex(n[2], 4)}-${hex(n[3], 2)}${hex(n[4], 2)}-${n
      .slice(5)
      .map((v) => hex(v, 2))
      .join("")}`;
  }
  return out;
}

const addon = declaredIids(path.join(root, "native", "win", "winrt_abi.h"));
const standIn = declaredIids(path.join(root, "test", "wine", "standInWam", "abi_extra.h"));

test("the rule reproduces IIDs that mingw-w64 ships", () => {
  const header = readFileSync("/usr/share/mingw-w64/include/windows.foundation.h", "utf8").toLowerCase();
  for (const [signature, name] of [
    [pinterface("IAsyncOperation", "b1"), "cdb5efb3-5788-509d-9be1-71ccb8a3362a"],
    [pinterface("AsyncOperationCompletedHandler", "b1"), "c1d3d1a2-ae17-5a5f-b5a2-bdcc8844889a"],
  ]) {
    assert.equal(parameterizedIid(signature), name);
    const d = name.split("-");
    assert.ok(header.includes(`0x${d[0]}`) && header.includes(`0x${d[1]}`), `${name} is in mingw's windows.foundation.h`);
  }
});

test("every parameterized IID the addon and the stand-in declare is the one the rule gives", () => {
  const computed = wamIids();
  const declared = { ...standIn, ...addon };
  const checked = [];
  for (const [name, iid] of Object.entries(declared)) {
    if (computed[name] === undefined) continue;
    assert.equal(iid, computed[name], `kIID_${name}`);
    checked.push(name);
  }
  assert.ok(checked.length >= 15, `checked ${checked.join(", ")}`);
  for (const required of [
    "AsyncOperationWebTokenRequestResult",
    "HandlerWebTokenRequestResult",
    "HandlerWebAccountProvider",
    "HandlerWebAccount",
    "HandlerFindAllAccountsResult",
    "IterableStringPair",
  ]) {
    assert.ok(checked.includes(required), `kIID_${required} is declared and checked`);
  }
});

test("COM and WinRT base IIDs match mingw-w64's headers", () => {
  const include = "/usr/share/mingw-w64/include";
  const find = (file, name) => {
    const m = new RegExp(`DEFINE_GUID\\(IID_${name},\\s*([^)]*)\\)`).exec(readFileSync(path.join(include, file), "utf8"));
    assert.ok(m, `IID_${name} in ${file}`);
    const n = m[1].split(",").map((x) => BigInt(x.trim()));
    const hex = (v, w) => v.toString(16).padStart(w, "0");
    return `${hex(n[0], 8)}-${hex(n[1], 4)}-${hex(n[2], 4)}-${hex(n[3], 2)}${hex(n[4], 2)}-${n
      .slice(5)
      .map((v) => hex(v, 2))
      .join("")}`;
  };
  assert.equal(addon.IAsyncInfo, find("asyncinfo.h", "IAsyncInfo"));
  assert.equal(addon.IAgileObject, find("objidlbase.h", "IAgileObject"));
  assert.equal(standIn.IActivationFactory, find("activation.h", "IActivationFactory"));
  assert.equal(standIn.IInspectable, find("inspectable.h", "IInspectable"));
});

test("no IID is declared twice with two values", () => {
  for (const [name, iid] of Object.entries(standIn)) {
    if (addon[name] !== undefined) assert.equal(iid, addon[name], name);
  }
});
