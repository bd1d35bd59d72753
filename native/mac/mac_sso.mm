#import "mac_sso.h"

#import <AppKit/AppKit.h>
#include <dispatch/dispatch.h>

#include <memory>
#include <string>

#include "mac_window.h"

// Receives the controller's answer (on the main thread) and supplies the presentation anchor.
@interface EntraBrokerSsoDelegate
    : NSObject <ASAuthorizationControllerDelegate, ASAuthorizationControllerPresentationContextProviding>
- (instancetype)initWithFlight:(std::shared_ptr<entra_broker::mac::Flight>)flight
                     operation:(NSString*)operation
                        anchor:(NSWindow*)anchor;
@end

@implementation EntraBrokerSsoDelegate {
  std::shared_ptr<entra_broker::mac::Flight> _flight;
  NSString* _operation;
  NSWindow* _anchor;
}

- (instancetype)initWithFlight:(std::shared_ptr<entra_broker::mac::Flight>)flight
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
                                        "the SSO extension answered with " + entra_broker::mac::Utf8(kind) +
                                            " credential, not an ASAuthorizationSingleSignOnCredential")
           reply:nil];
    return;
  }
  NSHTTPURLResponse* response = ((ASAuthorizationSingleSignOnCredential*)credential).authenticatedResponse;
  NSDictionary* fields = entra_broker::mac::JsonSafe(response.allHeaderFields ?: @{}, 0);
  [self finish:BrokerOutcome::Success("") reply:@{@"operation" : _operation, @"response" : fields}];
}

- (void)authorizationController:(ASAuthorizationController*)controller didCompleteWithError:(NSError*)error {
  NSDictionary* described = entra_broker::mac::DescribeError(error, 0);
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
namespace mac {

namespace {

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
  ASAuthorizationController* controller =
      [[ASAuthorizationController alloc] initWithAuthorizationRequests:@[ request ]];
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

}  // namespace

BrokerOutcome CanPerform(NSURL* url, const CancelToken& cancel, const Deadline& deadline) {
  auto flight = std::make_shared<Flight>();
  dispatch_async(dispatch_get_main_queue(), ^{
    @autoreleasepool {
      @try {
        ASAuthorizationSingleSignOnProvider* provider =
            [ASAuthorizationSingleSignOnProvider authorizationProviderWithIdentityProviderURL:url];
        flight->Finish(BrokerOutcome::Success(provider.canPerformAuthorization ? "1" : "0"), nil);
      } @catch (NSException* e) {
        flight->Finish(
            BrokerOutcome::Failure(codes::kOsError, "AuthenticationServices: " + Utf8(e.reason), Utf8(e.name)), nil);
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
        flight->Finish(
            BrokerOutcome::Failure(codes::kOsError, "AuthenticationServices: " + Utf8(e.reason), Utf8(e.name)), nil);
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

}  // namespace mac
}  // namespace entra_broker
