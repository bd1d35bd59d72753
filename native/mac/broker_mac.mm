// macOS: the Microsoft Enterprise SSO extension (Company Portal) through AuthenticationServices.
// Facts and sources: shared/research/wam-macos.md part B. Objective-C++ with ARC.
//
// The request (from src/broker/macos.ts) is JSON:
//   {"identityProviderUrl": "https://login.microsoftonline.com/common",  // optional, this default
//    "operation": "login",              // ASAuthorizationSingleSignOnRequest.requestedOperation
//    "options": {"client_id": "..."},   // authorizationOptions, one query item per key, string values
//    "accountFrom": {"operation": "get_default_account", "options": {...}, "copy": ["home_account_id"]}}
// "accountFrom" (optional) runs first; the listed keys of its reply are copied into "options" (the
// default account's silent sign-in). Availability needs only "identityProviderUrl".
//
// The reply is JSON: {"operation": ..., "response": {the credential's authenticatedResponse header
// fields}} or, when the extension or AuthenticationServices reports an error, {"operation": ...,
// "error": {"domain", "code", "description", "userInfo", "underlying"}}: the broker's answer, mapped
// to msal's errors in TypeScript. The call fails (BrokerOutcome) only when no answer can be had: no
// extension (BROKER_UNAVAILABLE), no run loop on the main thread, a bad request, cancel, timeout.
//
// Threads: RunBrokerCall runs on the binding's thread. AuthenticationServices is used on the main
// thread only (the presentation anchor is an NSWindow, resolved there), through the main dispatch
// queue. Electron's main process runs the Cocoa run loop, so that queue drains; a plain Node process
// never runs it (libuv owns the main thread). So before any work: no NSApplication (NSApp nil) fails
// at once; otherwise a no-op is sent to the main queue and, when it has not run within
// kMainQueueProbeMs, the call fails (BROKER_UNAVAILABLE, the browser fallback) instead of hanging.
#import <Foundation/Foundation.h>

#include <cstdint>
#include <string>

#include "../broker.h"
#include "mac_json.h"
#include "mac_sso.h"
#include "mac_wait.h"

namespace entra_broker {
namespace {

using namespace mac;

NSString* const kDefaultIdentityProvider = @"https://login.microsoftonline.com/common";
constexpr std::uint32_t kAvailabilityTimeoutMs = 10000;

NSURL* IdentityProvider(NSDictionary* request, BrokerOutcome* failure) {
  id text = request[@"identityProviderUrl"] ?: kDefaultIdentityProvider;
  NSURL* url = [text isKindOfClass:[NSString class]] ? [NSURL URLWithString:(NSString*)text] : nil;
  if (url == nil || ![url.scheme isEqualToString:@"https"]) {
    *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "identityProviderUrl must be an https URL");
    return nil;
  }
  return url;
}

NSDictionary* StringOptions(id value, BrokerOutcome* failure) {
  if (value == nil) return @{};
  if (![value isKindOfClass:[NSDictionary class]]) {
    *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "options must be an object of strings");
    return nil;
  }
  for (id key in (NSDictionary*)value) {
    if (![((NSDictionary*)value)[key] isKindOfClass:[NSString class]]) {
      *failure =
          BrokerOutcome::Failure(codes::kInvalidRequest, "options." + Utf8([key description]) + " must be a string");
      return nil;
    }
  }
  return (NSDictionary*)value;
}

BrokerOutcome Availability(NSURL* url, const CancelToken& cancel, const Deadline& deadline) {
  BrokerOutcome can = CanPerform(url, cancel, deadline);
  if (!can.ok) return can;
  std::string reply;
  NSDictionary* object = @{
    @"canPerformAuthorization" : @(YES),
    @"identityProviderUrl" : url.absoluteString ?: @"",
    @"osVersion" : [NSProcessInfo processInfo].operatingSystemVersionString ?: @"",
  };
  if (!ToJson(object, &reply))
    return BrokerOutcome::Failure(codes::kInternal, "could not write the availability reply");
  return BrokerOutcome::Success(reply);
}

BrokerOutcome Operation(NSDictionary* request, NSURL* url, const BrokerCall& call, const CancelToken& cancel,
                        const Deadline& deadline) {
  BrokerOutcome failure;
  id operation = request[@"operation"];
  if (![operation isKindOfClass:[NSString class]] || [(NSString*)operation length] == 0)
    return BrokerOutcome::Failure(codes::kInvalidRequest, "operation must be a non-empty string");
  NSDictionary* options = StringOptions(request[@"options"], &failure);
  if (options == nil) return failure;

  BrokerOutcome can = CanPerform(url, cancel, deadline);
  if (!can.ok) return can;

  NSDictionary* reply = nil;
  id first = request[@"accountFrom"];
  if (first != nil) {
    id firstOperation = [first isKindOfClass:[NSDictionary class]] ? first[@"operation"] : nil;
    id copy = [first isKindOfClass:[NSDictionary class]] ? first[@"copy"] : nil;
    NSDictionary* firstOptions =
        StringOptions([first isKindOfClass:[NSDictionary class]] ? first[@"options"] : nil, &failure);
    if (![firstOperation isKindOfClass:[NSString class]] || ![copy isKindOfClass:[NSArray class]] ||
        firstOptions == nil)
      return BrokerOutcome::Failure(codes::kInvalidRequest,
                                    "accountFrom must be {operation: string, options: object, copy: string[]}");
    BrokerOutcome out = Perform(url, firstOperation, firstOptions, call, cancel, deadline, &reply);
    if (!out.ok) return out;
    NSDictionary* fields = [reply[@"response"] isKindOfClass:[NSDictionary class]] ? reply[@"response"] : nil;
    NSMutableDictionary* merged = [options mutableCopy];
    for (id key in (NSArray*)copy) {
      id value = [key isKindOfClass:[NSString class]] ? fields[key] : nil;
      if (![value isKindOfClass:[NSString class]] || [(NSString*)value length] == 0) {
        // No account to copy (an error, or no default account): that reply is the answer.
        std::string json;
        return ToJson(reply, &json) ? BrokerOutcome::Success(json)
                                    : BrokerOutcome::Failure(codes::kInternal, "could not write the reply");
      }
      merged[key] = value;
    }
    options = merged;
  }

  BrokerOutcome out = Perform(url, (NSString*)operation, options, call, cancel, deadline, &reply);
  if (!out.ok) return out;
  std::string json;
  if (!ToJson(reply, &json))
    return BrokerOutcome::Failure(codes::kBadReply, "the SSO extension's reply cannot be written as JSON");
  return BrokerOutcome::Success(json);
}

BrokerOutcome Run(const BrokerCall& call, const CancelToken& cancel) {
  if (cancel.IsCancelled()) return BrokerOutcome::Failure(codes::kCancelled, "the broker call was cancelled");
  std::uint32_t timeout_ms = call.timeout_ms;
  if (timeout_ms == 0 && call.op == BrokerOp::kAvailability) timeout_ms = kAvailabilityTimeoutMs;
  Deadline deadline{Clock::now() + std::chrono::milliseconds(timeout_ms), timeout_ms};

  if (call.op == BrokerOp::kCancelInteractiveFlow)  // a flow ends through its own call's cancel()
    return BrokerOutcome::Failure(codes::kInvalidRequest,
                                  "cancelInteractiveFlow does not exist on macOS: cancel the interactive call itself");

  NSString* text = NSStringFrom(call.payload);
  NSData* data = [text dataUsingEncoding:NSUTF8StringEncoding];
  NSError* error = nil;
  id request = data != nil ? [NSJSONSerialization JSONObjectWithData:data options:0 error:&error] : nil;
  if (![request isKindOfClass:[NSDictionary class]])
    return BrokerOutcome::Failure(codes::kInvalidRequest, "the request is not a JSON object in UTF-8");
  BrokerOutcome failure;
  NSURL* url = IdentityProvider(request, &failure);
  if (url == nil) return failure;

  BrokerOutcome main = CheckMainQueue(cancel, deadline, BrokerOpName(call.op));
  if (!main.ok) return main;
  if (call.op == BrokerOp::kAvailability) return Availability(url, cancel, deadline);
  return Operation(request, url, call, cancel, deadline);
}

}  // namespace

const char* BrokerBackendName() { return "macos-sso"; }

BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken& cancel) {
  @autoreleasepool {
    @try {
      return Run(call, cancel);
    } @catch (NSException* e) {
      return BrokerOutcome::Failure(codes::kInternal,
                                    "the SSO extension call raised " + Utf8(e.name) + ": " + Utf8(e.reason));
    }
  }
}

}  // namespace entra_broker
