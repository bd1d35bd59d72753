// The wire facts of the Microsoft Identity Broker for Linux, as the stand-in speaks them.
// Sources: shared/research/linux-broker.md and linux-broker-msal-client.md.

export const BROKER_BUS_NAME = "com.microsoft.identity.broker1";
export const BROKER_OBJECT_PATH = "/com/microsoft/identity/broker1";
export const BROKER_INTERFACE = "com.microsoft.identity.Broker1";
export const PROTOCOL_VERSION = "0.0";

/** The test-control interface of a stand-in running in another process (same connection, own path). */
export const CONTROL_OBJECT_PATH = "/dev/entrabroker/StandInControl";
export const CONTROL_INTERFACE = "dev.entrabroker.StandInControl1";

export const BROKER_METHODS = [
  "acquireTokenInteractively",
  "acquireTokenSilently",
  "getAccounts",
  "removeAccount",
  "acquirePrtSsoCookie",
  "generateSignedHttpRequest",
  "cancelInteractiveFlow",
  "getLinuxBrokerVersion",
] as const;
export type BrokerMethod = (typeof BROKER_METHODS)[number];

export function isBrokerMethod(name: string): name is BrokerMethod {
  return (BROKER_METHODS as readonly string[]).includes(name);
}

/** Methods whose replies (and errors) sit inside `brokerTokenResponse`. */
export function isTokenMethod(name: string): boolean {
  return name === "acquireTokenInteractively" || name === "acquireTokenSilently";
}

/** MSALRuntime `ResponseStatus` codes (as `@azure/msal-node-runtime`'s ErrorStatus). */
export const Status = {
  Unexpected: 0,
  InteractionRequired: 2,
  NoNetwork: 3,
  NetworkTemporarilyUnavailable: 4,
  ServerTemporarilyUnavailable: 5,
  ApiContractViolation: 6,
  UserCanceled: 7,
  ApplicationCanceled: 8,
  IncorrectConfiguration: 9,
  AuthorityUntrusted: 11,
  AccountUnusable: 13,
  AccountNotFound: 16,
} as const;

const STATUS_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Status).map(([name, code]) => [code, name]));

export interface BrokerError {
  context: string;
  status: number;
  subStatus?: number;
  errorCode?: number;
  tag?: number;
}

/** Thrown inside a handler to answer with an in-band broker error. */
export class BrokerFailure extends Error {
  constructor(readonly error: BrokerError) {
    super(error.context);
    this.name = "BrokerFailure";
  }
}

export function fail(status: number, context: string, more: Partial<BrokerError> = {}): never {
  throw new BrokerFailure({ status, context, ...more });
}

/** The in-band error reply of `method`, in the shape the real broker uses for it. */
export function errorReply(
  method: string,
  error: BrokerError,
  meta: { correlationId: string; clientId?: string; brokerVersion: string },
): Record<string, unknown> {
  const body = {
    context: error.context,
    diagnostics: null,
    errorCode: error.errorCode ?? 0,
    status: error.status,
    subStatus: error.subStatus ?? 0,
    tag: error.tag ?? 0,
  };
  if (!isTokenMethod(method)) return { error: body };
  return {
    brokerTokenResponse: { error: body, subError: "" },
    telemetry: {
      api_error_tag: String(body.tag),
      api_status_code: `StatusInternal::${STATUS_NAMES[error.status] ?? "Unexpected"}`,
      broker_version: meta.brokerVersion,
      client_id: meta.clientId ?? "",
      correlation_id: meta.correlationId,
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The account object as the broker hands it out (getAccounts, brokerTokenResponse.account). */
export interface BrokerAccount {
  alternativeAccountId: string;
  clientInfo: string;
  environment: string;
  familyName: string;
  givenName: string;
  homeAccountId: string;
  homeEnvironment: string;
  localAccountId: string;
  middleName: string;
  name: string;
  passwordChangeUrl: string;
  passwordExpiry: number;
  realm: string;
  username: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
