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
#import <AppKit/AppKit.h>
#import <AuthenticationServices/AuthenticationServices.h>
#import <Foundation/Foundation.h>
#include <dispatch/dispatch.h>
#include <malloc/malloc.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "../broker.h"

#if !__has_feature(objc_arc)
#error "broker_mac.mm needs ARC (binding.gyp CLANG_ENABLE_OBJC_ARC, CMakeLists.txt -fobjc-arc)"
#endif

namespace entra_broker {
namespace {

using Clock = std::chrono::steady_clock;

NSString* const kDefaultIdentityProvider = @"https://login.microsoftonline.com/common";
constexpr std::uint32_t kAvailabilityTimeoutMs = 10000;
constexpr int kMainQueueProbeMs = 3000;  // generous: the main thread may be busy with JS for a while
constexpr int kStepMs = 100;             // how often cancel and the deadline are checked

// Set once the main queue has run a block: then a Cocoa run loop serves it, and it will again.
std::atomic<bool> g_main_queue_serves{false};

// One request to the extension, shared by the binding's thread and the main queue. The ObjC members
// are touched on the main thread only; the rest under `mu`.
struct Flight {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool abandoned = false;  // cancelled or timed out: a late start does nothing, a late answer is dropped
  BrokerOutcome outcome;
  NSDictionary* reply = nil;  // with outcome.ok: the reply object, for "accountFrom"

  ASAuthorizationController* controller = nil;  // strong until the delegate fires
  id delegate = nil;                            // the controller holds it weakly

  void Finish(BrokerOutcome o, NSDictionary* r) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (done) return;
      done = true;
      outcome = std::move(o);
      reply = r;
    }
    cv.notify_all();
  }
};

std::string Utf8(NSString* s) {
  const char* c = s.UTF8String;
  return c != nullptr ? std::string(c) : std::string();
}

NSString* NSStringFrom(const std::string& s) {
  return [[NSString alloc] initWithBytes:s.data() length:s.size() encoding:NSUTF8StringEncoding];
}

// Any Foundation value as something NSJSONSerialization accepts (header fields and userInfo may hold
// dates, URLs, errors...). Depth-limited: a reply is data, never a cycle.
id JsonSafe(id value, int depth) {
  if (value == nil || depth > 8) return [NSNull null];
  if ([value isKindOfClass:[NSString class]] || [value isKindOfClass:[NSNumber class]] ||
      [value isKindOfClass:[NSNull class]])
    return value;
  if ([value isKindOfClass:[NSDictionary class]]) {
    NSMutableDictionary* out = [NSMutableDictionary dictionary];
    for (id key in (NSDictionary*)value) out[[key description]] = JsonSafe(((NSDictionary*)value)[key], depth + 1);
    return out;
  }
  if ([value isKindOfClass:[NSArray class]]) {
    NSMutableArray* out = [NSMutableArray array];
    for (id item in (NSArray*)value) [out addObject:JsonSafe(item, depth + 1)];
    return out;
  }
  return [value description];
}

NSDictionary* DescribeError(NSError* error, int depth) {
  NSMutableDictionary* userInfo = [NSMutableDictionary dictionary];
  for (id key in error.userInfo) {
    if ([key isEqual:NSUnderlyingErrorKey]) continue;
    userInfo[[key description]] = JsonSafe(error.userInfo[key], 1);
  }
  NSMutableDictionary* out = [@{
    @"domain" : error.domain ?: @"",
    @"code" : @(error.code),
    @"description" : error.localizedDescription ?: @"",
    @"userInfo" : userInfo,
  } mutableCopy];
  id underlying = error.userInfo[NSUnderlyingErrorKey];
  if ([underlying isKindOfClass:[NSError class]] && depth < 4)
    out[@"underlying"] = DescribeError((NSError*)underlying, depth + 1);
  return out;
}

bool ToJson(NSDictionary* object, std::string* out) {
  NSError* error = nil;
  NSData* data = [NSJSONSerialization isValidJSONObject:object]
                     ? [NSJSONSerialization dataWithJSONObject:object options:0 error:&error]
                     : nil;
  if (data == nil) return false;
  out->assign(static_cast<const char*>(data.bytes), data.length);
  return true;
}

// Main thread only. The window the caller named: Electron's getNativeWindowHandle() is an NSView*;
// an NSWindow* is accepted too. A number that is not a live object of this process would crash
// objc_msgSend, so it must come from a malloc zone before it is messaged. nil: none usable was named.
NSWindow* ParentWindow(std::uint64_t handle, std::string* problem) {
  if (handle == 0) return nil;
  const void* pointer = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(handle));
  id object = malloc_zone_from_ptr(pointer) != nullptr ? (__bridge id)pointer : nil;
  if ([object isKindOfClass:[NSView class]]) return [(NSView*)object window];  // nil: in no window yet
  if ([object isKindOfClass:[NSWindow class]]) return (NSWindow*)object;
  *problem = "parentWindowHandle is not an NSView* or NSWindow* of this process "
             "(pass BrowserWindow.getNativeWindowHandle())";
  return nil;
}

}  // namespace
}  // namespace entra_broker

// Receives the controller's answer (on the main thread) and supplies the presentation anchor.
@interface EntraBrokerSsoDelegate : NSObject <ASAuthorizationControllerDelegate,
                                              ASAuthorizationControllerPresentationContextProviding>
- (instancetype)initWithFlight:(std::shared_ptr<entra_broker::Flight>)flight
                     operation:(NSString*)operation
                        anchor:(NSWindow*)anchor;
@end

@implementation EntraBrokerSsoDelegate {
  std::shared_ptr<entra_broker::Flight> _flight;
  NSString* _operation;
  NSWindow* _anchor;
}

- (instancetype)initWithFlight:(std::shared_ptr<entra_broker::Flight>)flight
                     operation:(NSString*)operation
                        anchor:(NSWindow*)anchor {
  if ((self = [super init])) {
    _flight = std::move(flight);
    _operation = [operation copy];
    _anchor = anchor;
  }
  return self;
}

- (void)finish:(entra_broker::BrokerOutcome)outcome reply:(NSDictionary*)reply {
  // Main thread. Ends the controller <-> delegate <-> flight cycle, but only after this callback has
  // returned: the controller is still on the stack.
  ASAuthorizationController* controller = _flight->controller;
  id delegate = _flight->delegate;
  _flight->controller = nil;
  _flight->delegate = nil;
  dispatch_async(dispatch_get_main_queue(), ^{
    (void)controller;
    (void)delegate;
  });
  _flight->Finish(std::move(outcome), reply);
}

- (void)authorizationController:(ASAuthorizationController*)controller
    didCompleteWithAuthorization:(ASAuthorization*)authorization {
  using entra_broker::BrokerOutcome;
  id<ASAuthorizationCredential> credential = authorization.credential;
  if (![(id)credential isKindOfClass:[ASAuthorizationSingleSignOnCredential class]]) {
    NSString* kind = NSStringFromClass([(id)credential class]) ?: @"no";
    [self finish:BrokerOutcome::Failure(entra_broker::codes::kBadReply,
                                        "the SSO extension answered with " + entra_broker::Utf8(kind) +
                                            " credential, not an ASAuthorizationSingleSignOnCredential")
           reply:nil];
    return;
  }
  NSHTTPURLResponse* response = ((ASAuthorizationSingleSignOnCredential*)credential).authenticatedResponse;
  NSDictionary* fields = entra_broker::JsonSafe(response.allHeaderFields ?: @{}, 0);
  [self finish:BrokerOutcome::Success("") reply:@{@"operation" : _operation, @"response" : fields}];
}

- (void)authorizationController:(ASAuthorizationController*)controller didCompleteWithError:(NSError*)error {
  NSDictionary* described = entra_broker::DescribeError(error, 0);
  [self finish:entra_broker::BrokerOutcome::Success("") reply:@{@"operation" : _operation, @"error" : described}];
}

- (ASPresentationAnchor)presentationAnchorForAuthorizationController:(ASAuthorizationController*)controller {
  // No parent given: the app's own window, else a window of our own (the anchor is nonnull; with
  // no visible parent the extension centres its UI).
  if (_anchor == nil) _anchor = NSApp.keyWindow ?: NSApp.mainWindow ?: [[NSWindow alloc] init];
  return _anchor;
}

@end

namespace entra_broker {
namespace {

struct Deadline {
  Clock::time_point at;
  std::uint32_t ms;  // 0: none
};

enum class Waited { kDone, kCancelled, kTimedOut, kExpired };

// Waits for `flight` until it is done, the call is cancelled, its deadline passes, or `limit` passes.
Waited WaitFor(Flight& flight, const CancelToken& cancel, const Deadline& deadline,
               Clock::time_point limit = Clock::time_point::max()) {
  std::unique_lock<std::mutex> lock(flight.mu);
  while (!flight.done) {
    if (cancel.IsCancelled()) return Waited::kCancelled;
    auto now = Clock::now();
    if (deadline.ms != 0 && now >= deadline.at) return Waited::kTimedOut;
    if (now >= limit) return Waited::kExpired;
    flight.cv.wait_for(lock, std::chrono::milliseconds(kStepMs));
  }
  return Waited::kDone;
}

BrokerOutcome Stopped(Waited why, const Deadline& deadline, const char* what) {
  if (why == Waited::kCancelled)
    return BrokerOutcome::Failure(codes::kCancelled, std::string("the SSO extension call ") + what + " was cancelled");
  return BrokerOutcome::Failure(codes::kTimeout, std::string("the SSO extension did not answer ") + what + " within " +
                                                     std::to_string(deadline.ms) + " ms");
}

// Sends a no-op to the main queue (once per process, when it has never run one) and waits a bounded
// time for it: no run loop on the main thread means AuthenticationServices can never answer.
BrokerOutcome CheckMainQueue(const CancelToken& cancel, const Deadline& deadline, const char* what) {
  if (g_main_queue_serves.load()) return BrokerOutcome::Success("");
  if (NSApp == nil) {  // a plain pointer read: no NSApplication at all (plain Node), no need to wait
    return BrokerOutcome::Failure(
        codes::kUnavailable,
        "the macOS SSO extension needs a Cocoa application running its main run loop, and this process has "
        "none (a plain Node.js process): use the broker from Electron's main process, or sign in through the "
        "browser",
        "NoMainRunLoop");
  }
  auto probe = std::make_shared<Flight>();
  dispatch_async(dispatch_get_main_queue(), ^{
    g_main_queue_serves.store(true);
    probe->Finish(BrokerOutcome::Success(""), nil);
  });
  Waited waited = WaitFor(*probe, cancel, deadline, Clock::now() + std::chrono::milliseconds(kMainQueueProbeMs));
  if (waited == Waited::kDone) return BrokerOutcome::Success("");
  if (waited != Waited::kExpired) return Stopped(waited, deadline, what);
  return BrokerOutcome::Failure(
      codes::kUnavailable,
      "the macOS SSO extension answers on the main thread's run loop, and nothing ran the main dispatch queue "
      "within " + std::to_string(kMainQueueProbeMs) +
          " ms: a plain Node.js process runs no Cocoa run loop (use the broker from Electron's main process, "
          "or sign in through the browser)",
      "NoMainRunLoop");
}

NSURL* IdentityProvider(NSDictionary* request, BrokerOutcome* failure) {
  id text = request[@"identityProviderUrl"] ?: kDefaultIdentityProvider;
  NSURL* url = [text isKindOfClass:[NSString class]] ? [NSURL URLWithString:(NSString*)text] : nil;
  if (url == nil || ![url.scheme isEqualToString:@"https"]) {
    *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "identityProviderUrl must be an https URL");
    return nil;
  }
  return url;
}

// Main thread: is an SSO extension configured for `url` (Company Portal installed, MDM profile)?
BrokerOutcome CanPerform(NSURL* url, const CancelToken& cancel, const Deadline& deadline) {
  auto flight = std::make_shared<Flight>();
  dispatch_async(dispatch_get_main_queue(), ^{
    @autoreleasepool {
      @try {
        ASAuthorizationSingleSignOnProvider* provider =
            [ASAuthorizationSingleSignOnProvider authorizationProviderWithIdentityProviderURL:url];
        flight->Finish(BrokerOutcome::Success(provider.canPerformAuthorization ? "1" : "0"), nil);
      } @catch (NSException* e) {
        flight->Finish(BrokerOutcome::Failure(codes::kOsError, "AuthenticationServices: " + Utf8(e.reason), Utf8(e.name)),
                       nil);
      }
    }
  });
  Waited waited = WaitFor(*flight, cancel, deadline);
  if (waited != Waited::kDone) return Stopped(waited, deadline, "availability");
  std::lock_guard<std::mutex> lock(flight->mu);
  if (!flight->outcome.ok) return flight->outcome;
  if (flight->outcome.payload == "1") return BrokerOutcome::Success("");
  return BrokerOutcome::Failure(
      codes::kUnavailable,
      "no SSO extension handles " + Utf8(url.absoluteString) +
          " on this Mac (canPerformAuthorization is NO): the Microsoft Enterprise SSO plug-in needs Intune Company "
          "Portal and an Extensible SSO profile from the device's MDM",
      "canPerformAuthorization");
}

// Main thread: builds the request and controller and starts them; the delegate finishes `flight`.
void Start(const std::shared_ptr<Flight>& flight, NSURL* url, NSString* operation, NSDictionary* options,
           bool interactive, std::uint64_t parent_window) {
  {
    std::lock_guard<std::mutex> lock(flight->mu);
    if (flight->abandoned) return;
  }
  std::string problem;
  NSWindow* anchor = ParentWindow(parent_window, &problem);
  if (!problem.empty()) {
    flight->Finish(BrokerOutcome::Failure(codes::kInvalidRequest, problem), nil);
    return;
  }
  ASAuthorizationSingleSignOnProvider* provider =
      [ASAuthorizationSingleSignOnProvider authorizationProviderWithIdentityProviderURL:url];
  ASAuthorizationSingleSignOnRequest* request = [provider createRequest];
  request.requestedOperation = operation;
  NSMutableArray<NSURLQueryItem*>* items = [NSMutableArray array];
  for (NSString* key in options) [items addObject:[NSURLQueryItem queryItemWithName:key value:options[key]]];
  request.authorizationOptions = items;
  if (@available(macOS 12.0, *)) request.userInterfaceEnabled = interactive;

  EntraBrokerSsoDelegate* delegate = [[EntraBrokerSsoDelegate alloc] initWithFlight:flight
                                                                          operation:operation
                                                                             anchor:anchor];
  ASAuthorizationController* controller = [[ASAuthorizationController alloc] initWithAuthorizationRequests:@[ request ]];
  controller.delegate = delegate;
  controller.presentationContextProvider = delegate;
  flight->controller = controller;
  flight->delegate = delegate;
  [controller performRequests];
}

// Main thread: a cancelled or timed-out request. macOS 13 can end it (the delegate then fires and
// the references go); before that the extension's UI stays until the user closes it.
void Abandon(const std::shared_ptr<Flight>& flight) {
  dispatch_async(dispatch_get_main_queue(), ^{
    if (@available(macOS 13.0, *)) [flight->controller cancel];
  });
}

NSDictionary* StringOptions(id value, BrokerOutcome* failure) {
  if (value == nil) return @{};
  if (![value isKindOfClass:[NSDictionary class]]) {
    *failure = BrokerOutcome::Failure(codes::kInvalidRequest, "options must be an object of strings");
    return nil;
  }
  for (id key in (NSDictionary*)value) {
    if (![((NSDictionary*)value)[key] isKindOfClass:[NSString class]]) {
      *failure = BrokerOutcome::Failure(codes::kInvalidRequest,
                                        "options." + Utf8([key description]) + " must be a string");
      return nil;
    }
  }
  return (NSDictionary*)value;
}

// One operation: start it on the main queue and wait for the delegate, cancel or the deadline.
BrokerOutcome Perform(NSURL* url, NSString* operation, NSDictionary* options, const BrokerCall& call,
                      const CancelToken& cancel, const Deadline& deadline, NSDictionary** reply) {
  auto flight = std::make_shared<Flight>();
  bool interactive = call.op == BrokerOp::kInteractiveToken;
  std::uint64_t parent = call.parent_window;
  dispatch_async(dispatch_get_main_queue(), ^{
    @autoreleasepool {
      @try {
        Start(flight, url, operation, options, interactive, parent);
      } @catch (NSException* e) {
        flight->controller = nil;
        flight->delegate = nil;
        flight->Finish(BrokerOutcome::Failure(codes::kOsError, "AuthenticationServices: " + Utf8(e.reason), Utf8(e.name)),
                       nil);
      }
    }
  });
  Waited waited = WaitFor(*flight, cancel, deadline);
  if (waited != Waited::kDone) {
    {
      std::lock_guard<std::mutex> lock(flight->mu);
      flight->abandoned = true;
    }
    Abandon(flight);
    return Stopped(waited, deadline, Utf8(operation).c_str());
  }
  std::lock_guard<std::mutex> lock(flight->mu);
  *reply = flight->reply;
  return flight->outcome;
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
  if (!ToJson(object, &reply)) return BrokerOutcome::Failure(codes::kInternal, "could not write the availability reply");
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
    NSDictionary* firstOptions = StringOptions([first isKindOfClass:[NSDictionary class]] ? first[@"options"] : nil,
                                               &failure);
    if (![firstOperation isKindOfClass:[NSString class]] || ![copy isKindOfClass:[NSArray class]] || firstOptions == nil)
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
      return BrokerOutcome::Failure(codes::kInternal, "the SSO extension call raised " + Utf8(e.name) + ": " +
                                                          Utf8(e.reason));
    }
  }
}

}  // namespace entra_broker
