// The macOS SSO extension's failures (NSErrors from AuthenticationServices and MSAL's domains, and
// OAuth errors in the header fields) as Failures. Facts: shared/research/wam-macos.md part B.
import { Failure } from "../failure";
import { brokerFailure } from "./platform";

const AS_AUTHORIZATION_ERROR_DOMAIN = "com.apple.AuthenticationServices.AuthorizationError";
/** MSIDSSOExtensionUnderlyingError: the real error is the underlying one. */
const SSO_UNDERLYING_ERROR = -6000;
const AsError = { Canceled: 1001, NotHandled: 1003, NotInteractive: 1005 } as const;
const MSID_ERROR_DOMAIN = "MSIDErrorDomain";
const MSID_OAUTH_ERROR_DOMAIN = "MSIDOAuthErrorDomain";
const MsidError = {
  InteractionRequired: -51115,
  UserCancel: -51700,
  SessionCanceledProgrammatically: -51701,
  BrokerNotAvailable: -51814,
} as const;
/** NSURLError codes that mean "no network": timed out, host not found, cannot connect, lost, offline, data not allowed. */
const NETWORK_CODES = new Set([-1001, -1003, -1004, -1005, -1009, -1020]);

/** OAuth errors msal-common treats as "a user must sign in". */
const INTERACTION_ERRORS = new Set(["interaction_required", "consent_required", "login_required", "bad_token"]);
const INTERACTION_SUBERRORS = new Set([
  "message_only",
  "additional_action",
  "basic_action",
  "user_password_expired",
  "consent_required",
  "bad_token",
]);

/** An NSError as the addon writes it. */
export interface MacBrokerError {
  domain: string;
  code: number;
  description?: string;
  userInfo?: Record<string, unknown>;
  underlying?: MacBrokerError;
}

/** A non-empty string field, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function decodeDescription(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** An OAuth error: interaction needed, or the server's refusal (AuthenticationError upstream). */
function oauthFailure(
  error: string,
  description: string | undefined,
  suberror: string | undefined,
  details: { osError?: string; osCode?: number; correlationId?: string; errorCodes?: string },
): Failure {
  const message = description || `The SSO extension answered ${error}.`;
  const os = { osError: details.osError, osCode: details.osCode };
  if (INTERACTION_ERRORS.has(error) || (suberror !== undefined && INTERACTION_SUBERRORS.has(suberror))) {
    return new Failure("interaction_needed", INTERACTION_ERRORS.has(error) ? error : "interaction_required", message, {
      ...os,
      reason: message,
    });
  }
  // "[7000218]" or "7000218, 50076": the numbers in it.
  const errorCodes = details.errorCodes?.match(/\d+/g)?.map(Number);
  return new Failure("server_refused", error, message, {
    ...os,
    reason: message,
    statusCode: 400,
    serverError: {
      error,
      description: message,
      subError: suberror,
      correlationId: details.correlationId,
      ...(errorCodes?.length ? { errorCodes } : {}),
    },
  });
}

/** An error reply inside the header fields (MSAL's token response on failure). */
export function responseFailure(fields: Record<string, unknown>): Failure {
  const error = str(fields.error) ?? "platform_broker_error";
  return oauthFailure(error, decodeDescription(str(fields.error_description)), str(fields.suberror), {
    errorCodes: str(fields.error_codes),
    correlationId: str(fields.correlation_id),
  });
}

/** The NSError the extension or AuthenticationServices reported, as a Failure. */
export function macErrorToFailure(reported: MacBrokerError): Failure {
  const error =
    reported.domain === AS_AUTHORIZATION_ERROR_DOMAIN && reported.code === SSO_UNDERLYING_ERROR && reported.underlying
      ? reported.underlying
      : reported;
  const info = error.userInfo && typeof error.userInfo === "object" ? error.userInfo : {};
  const details = {
    osError: `${error.domain} ${error.code}${error !== reported ? ` (via ${reported.domain} ${reported.code})` : ""}`,
    osCode: typeof error.code === "number" ? error.code : undefined,
  };
  const description = str(info.MSIDErrorDescriptionKey) ?? str(error.description) ?? `${error.domain} error ${error.code}`;
  const failed = (message: string) => brokerFailure("server_refused", "platform_broker_error", message, details);

  if (error.domain === AS_AUTHORIZATION_ERROR_DOMAIN) {
    switch (error.code) {
      case AsError.Canceled:
        return brokerFailure("cancelled", "user_canceled", "The user cancelled the sign-in.", details);
      case AsError.NotInteractive:
        return brokerFailure("interaction_needed", "interaction_required", "The SSO extension needs to show its sign-in window.", details);
      case AsError.NotHandled:
        return brokerFailure("server_refused", "platform_broker_error", `The SSO extension did not handle the request (${description}).`, {
          ...details,
          fix: ["check that the device's SSO profile covers this authority"],
        });
      default:
        return failed(`AuthenticationServices failed: ${description}`);
    }
  }
  if (error.domain === MSID_ERROR_DOMAIN || error.domain === MSID_OAUTH_ERROR_DOMAIN) {
    const oauth = str(info.MSIDOAuthErrorKey);
    const suberror = str(info.MSIDOAuthSubErrorKey);
    if (error.code === MsidError.UserCancel || error.code === MsidError.SessionCanceledProgrammatically) {
      return brokerFailure("cancelled", "user_canceled", "The user cancelled the sign-in.", details);
    }
    if (error.code === MsidError.InteractionRequired) {
      return new Failure("interaction_needed", oauth && INTERACTION_ERRORS.has(oauth) ? oauth : "interaction_required", description, {
        ...details,
        reason: description,
      });
    }
    if (oauth) return oauthFailure(oauth, description, suberror, { ...details, correlationId: str(info.MSIDCorrelationIdKey) });
    if (error.code === MsidError.BrokerNotAvailable) return failed(`The SSO extension is not available: ${description}`);
    return failed(`The SSO extension failed: ${description}`);
  }
  if (error.domain === "NSURLErrorDomain" && NETWORK_CODES.has(error.code)) {
    return brokerFailure("unreachable", "no_network_connectivity", description, details);
  }
  return failed(`The SSO extension failed: ${description}`);
}
