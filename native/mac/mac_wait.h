// One request in flight between the binding's thread and the main queue, and the bounded waits for
// it: the call's cancel and deadline, and the probe that the main queue is served at all.
#ifndef ENTRA_BROKER_MAC_MAC_WAIT_H_
#define ENTRA_BROKER_MAC_MAC_WAIT_H_

#import <AuthenticationServices/AuthenticationServices.h>
#import <Foundation/Foundation.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <utility>

#include "../broker.h"
#include "mac_json.h"

namespace entra_broker {
namespace mac {

using Clock = std::chrono::steady_clock;

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

struct Deadline {
  Clock::time_point at;
  std::uint32_t ms;  // 0: none
};

enum class Waited { kDone, kCancelled, kTimedOut, kExpired };

// Waits for `flight` until it is done, the call is cancelled, its deadline passes, or `limit` passes.
Waited WaitFor(Flight& flight, const CancelToken& cancel, const Deadline& deadline,
               Clock::time_point limit = Clock::time_point::max());

BrokerOutcome Stopped(Waited why, const Deadline& deadline, const char* what);

// Sends a no-op to the main queue (once per process, when it has never run one) and waits a bounded
// time for it: no run loop on the main thread means AuthenticationServices can never answer.
BrokerOutcome CheckMainQueue(const CancelToken& cancel, const Deadline& deadline, const char* what);

}  // namespace mac
}  // namespace entra_broker

#endif  // ENTRA_BROKER_MAC_MAC_WAIT_H_
