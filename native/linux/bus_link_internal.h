// What bus_link.cc (the callers' side: the registry of links, CallOnBus) and bus_dispatch.cc (the
// dispatcher thread) share: a link, its requests, and the one mutex that guards them all.
#ifndef ENTRA_BROKER_LINUX_BUS_LINK_INTERNAL_H_
#define ENTRA_BROKER_LINUX_BUS_LINK_INTERNAL_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "bus_link.h"

namespace entra_broker {
namespace bus {
namespace internal {

struct Request {
  MethodCall call;
  dbus::DBusPendingCall* pending = nullptr;  // dispatcher only
  bool done = false;                         // guarded by g_mu, as are the fields below
  bool abandoned = false;                    // the caller stopped waiting (cancel, deadline)
  Reply reply;
  std::condition_variable cv;
};

struct Link {
  std::string address;
  enum class State { kConnecting, kReady, kDead } state = State::kConnecting;
  Clock::time_point setup_deadline;
  std::deque<std::shared_ptr<Request>> queued;  // not yet sent
  std::size_t in_flight = 0;
  int wake_fd = -1;  // eventfd: new work, an abandoned call, or the link's end
};

// Guards every link's queue and state and the registry of links; the dispatcher drops it for I/O.
extern std::mutex& g_mu;

// A failed reply of `kind`.
Reply Failed(Reply::Kind kind, std::string message, std::string name = "");

// With g_mu held: wakes the link's dispatcher (new work, an abandoned call, or the link's end).
void Wake(Link& link);

// With g_mu held: the request's answer; its caller wakes.
void Finish(Request& r, Reply reply);

// With g_mu held: the link ends; its queued calls fail with `why`, and the next call opens a new one.
void Kill(const std::shared_ptr<Link>& link, const Reply& why);

// The dispatcher thread's body (bus_dispatch.cc): connects, registers, pumps the link until it ends.
void DispatchOrFail(const dbus::Api* d, std::shared_ptr<Link> link);

}  // namespace internal
}  // namespace bus
}  // namespace entra_broker

#endif  // ENTRA_BROKER_LINUX_BUS_LINK_INTERNAL_H_
