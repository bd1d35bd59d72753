// The WinRT rule for parameterized interface IIDs (what RoGetParameterizedTypeInstanceIID does):
// SHA-1 over the WinRT pinterface namespace GUID's bytes and the type signature, truncated to 16 bytes
// as a version 5 UUID. Used to check the IIDs written by hand in native/win and the stand-in WAM.
import { createHash } from "node:crypto";

const NAMESPACE = "11f47ad5-7b73-42c0-abae-878b1e16adee";

function guidBytes(guid) {
  return Buffer.from(guid.replace(/-/g, ""), "hex");
}

export function parameterizedIid(signature) {
  const hash = createHash("sha1").update(guidBytes(NAMESPACE)).update(signature, "utf8").digest().subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const generic = {
  IAsyncOperation: "9fc2b0bb-e446-44e2-aa61-9cab8f636af2",
  AsyncOperationCompletedHandler: "fcdcf02c-e5d8-4478-915a-4d90b74b83a5",
  IVectorView: "bbe1fa4c-b0e3-4583-baef-1f1b2e483e56",
  IMap: "3c2925fe-8519-45c1-aa79-197b6718c1c1",
  IMapView: "e480ce40-a338-4ada-adcf-272272e48cb9",
  IIterable: "faa585ea-6214-4217-afda-7f46de5869b3",
  IIterator: "6a79e863-4300-459a-9966-cbb660963ee1",
  IKeyValuePair: "02b51929-c1c4-4a7e-8940-0312b5c18500",
};

/** `pinterface({piid};arg;arg)` */
export function pinterface(name, ...args) {
  return `pinterface({${generic[name]}};${args.join(";")})`;
}

/** `rc(Class.Name;{default interface iid})` */
export function runtimeClass(name, defaultIid) {
  return `rc(${name};{${defaultIid}})`;
}

export const classes = {
  WebTokenRequestResult: runtimeClass(
    "Windows.Security.Authentication.Web.Core.WebTokenRequestResult",
    "c12a8305-d1f8-4483-8d54-38fe292784ff",
  ),
  WebTokenResponse: runtimeClass("Windows.Security.Authentication.Web.Core.WebTokenResponse", "67a7c5ca-83f6-44c6-a3b1-0eb69e41fa8a"),
  FindAllAccountsResult: runtimeClass(
    "Windows.Security.Authentication.Web.Core.FindAllAccountsResult",
    "a5812b5d-b72e-420c-86ab-aac0d7b7261f",
  ),
  WebAccountProvider: runtimeClass("Windows.Security.Credentials.WebAccountProvider", "29dcc8c3-7ab9-4a7c-a336-b942f9dbf7c7"),
  WebAccount: runtimeClass("Windows.Security.Credentials.WebAccount", "69473eb2-8031-49be-80bb-96cb46d99aba"),
};

const pair = pinterface("IKeyValuePair", "string", "string");

/** The parameterized IIDs the addon and the stand-in use, by the names their sources give them. */
export function wamIids() {
  return {
    AsyncOperationWebTokenRequestResult: parameterizedIid(pinterface("IAsyncOperation", classes.WebTokenRequestResult)),
    HandlerWebTokenRequestResult: parameterizedIid(pinterface("AsyncOperationCompletedHandler", classes.WebTokenRequestResult)),
    AsyncOperationWebAccountProvider: parameterizedIid(pinterface("IAsyncOperation", classes.WebAccountProvider)),
    HandlerWebAccountProvider: parameterizedIid(pinterface("AsyncOperationCompletedHandler", classes.WebAccountProvider)),
    AsyncOperationWebAccount: parameterizedIid(pinterface("IAsyncOperation", classes.WebAccount)),
    HandlerWebAccount: parameterizedIid(pinterface("AsyncOperationCompletedHandler", classes.WebAccount)),
    AsyncOperationFindAllAccountsResult: parameterizedIid(pinterface("IAsyncOperation", classes.FindAllAccountsResult)),
    HandlerFindAllAccountsResult: parameterizedIid(pinterface("AsyncOperationCompletedHandler", classes.FindAllAccountsResult)),
    VectorViewWebTokenResponse: parameterizedIid(pinterface("IVectorView", classes.WebTokenResponse)),
    VectorViewWebAccount: parameterizedIid(pinterface("IVectorView", classes.WebAccount)),
    IterableWebTokenResponse: parameterizedIid(pinterface("IIterable", classes.WebTokenResponse)),
    IterableWebAccount: parameterizedIid(pinterface("IIterable", classes.WebAccount)),
    IteratorWebTokenResponse: parameterizedIid(pinterface("IIterator", classes.WebTokenResponse)),
    IteratorWebAccount: parameterizedIid(pinterface("IIterator", classes.WebAccount)),
    MapStringString: parameterizedIid(pinterface("IMap", "string", "string")),
    MapViewStringString: parameterizedIid(pinterface("IMapView", "string", "string")),
    StringPair: parameterizedIid(pair),
    IterableStringPair: parameterizedIid(pinterface("IIterable", pair)),
    IteratorStringPair: parameterizedIid(pinterface("IIterator", pair)),
  };
}
