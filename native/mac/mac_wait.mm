#import "mac_wait.h"

#include <dispatch/dispatch.h>

#include <atomic>
#include <memory>
#include <string>

namespace entra_broker {
namespace mac {

namespace {

constexpr int kMainQueueProbeMs = 3000;  // generous: the main thread may be busy with JS for a while
constexpr int kStepMs = 100;             // how often cancel and the deadline are checked

// Set once the main queue has run a block: then a Cocoa run loop serves it, and it will again.
std::atomic<bool> g_main_queue_serves{false};

}  // namespace

Waited WaitFor(Flight& flight, const CancelToken& cancel, const Deadline& deadline, Clock::time_point limit) {
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
      "within " +
          std::to_string(kMainQueueProbeMs) +
          " ms: a plain Node.js process runs no Cocoa run loop (use the broker from Electron's main process, "
          "or sign in through the browser)",
      "NoMainRunLoop");
}

}  // namespace mac
}  // namespace entra_broker
