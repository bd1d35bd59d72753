// The callers' side of the shared bus connection (see bus_link.h): the registry of links, one per
// bus address, and CallOnBus, which queues a call and waits for its reply, deadline or cancel. The
// dispatcher thread that does the I/O is bus_dispatch.cc.
#include <sys/eventfd.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "bus_link.h"
#include "bus_link_internal.h"

namespace entra_broker {
namespace bus {
namespace internal {

// Leaked on purpose: call threads may still use them while the process exits.
std::mutex& g_mu = *new std::mutex();

namespace {
std::map<std::string, std::shared_ptr<Link>>& g_links = *new std::map<std::string, std::shared_ptr<Link>>();
}  // namespace

Reply Failed(Reply::Kind kind, std::string message, std::string name) {
  Reply r;
  r.kind = kind;
  r.error_message = std::move(message);
  r.error_name = std::move(name);
  return r;
}

void Wake(Link& link) {
  if (link.wake_fd < 0 || link.state == Link::State::kDead) return;
  std::uint64_t one = 1;
  (void)!write(link.wake_fd, &one, sizeof one);
}

void Finish(Request& r, Reply reply) {
  if (r.done) return;
  r.done = true;
  r.reply = std::move(reply);
  r.cv.notify_all();
}

void Kill(const std::shared_ptr<Link>& link, const Reply& why) {
  Wake(*link);
  link->state = Link::State::kDead;
  auto it = g_links.find(link->address);
  if (it != g_links.end() && it->second == link) g_links.erase(it);
  for (auto& r : link->queued) Finish(*r, why);
  link->queued.clear();
}

}  // namespace internal

namespace {

using dbus::Api;
using internal::Failed;
using internal::g_mu;
using internal::Link;
using internal::Request;

constexpr auto kSetupLimit = std::chrono::seconds(25);       // connect + authenticate + Hello (D-Bus's default)
constexpr auto kCallerStep = std::chrono::milliseconds(50);  // how often a waiting caller checks cancel

// With g_mu held: the live link to `address`, started if there is none. Null (and *why) on failure.
std::shared_ptr<Link> LinkTo(const Api& d, const std::string& address, Reply* why) {
  auto& links = internal::g_links;
  auto it = links.find(address);
  if (it != links.end()) return it->second;
  auto link = std::make_shared<Link>();
  link->address = address;
  link->setup_deadline = Clock::now() + kSetupLimit;
  link->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (link->wake_fd < 0) {
    *why = Failed(Reply::Kind::kInternal, "eventfd() failed");
    return nullptr;
  }
  try {
    std::thread(internal::DispatchOrFail, &d, link).detach();
  } catch (const std::exception& e) {
    close(link->wake_fd);
    *why = Failed(Reply::Kind::kInternal, std::string("could not start the D-Bus thread: ") + e.what());
    return nullptr;
  }
  links[address] = link;
  return link;
}

}  // namespace

Wait CallOnBus(const Api& d, const std::string& address, const MethodCall& call, Clock::time_point deadline,
               const CancelToken* cancel, Reply* reply) noexcept {
  try {
    auto req = std::make_shared<Request>();
    req->call = call;
    std::unique_lock<std::mutex> lock(g_mu);
    std::shared_ptr<Link> link = LinkTo(d, address, reply);
    if (link == nullptr) return Wait::kAnswered;
    link->queued.push_back(req);
    internal::Wake(*link);
    for (;;) {
      if (req->done) {
        *reply = std::move(req->reply);
        return Wait::kAnswered;
      }
      auto now = Clock::now();
      bool cancelled = cancel != nullptr && cancel->IsCancelled();
      if (cancelled || now >= deadline) {
        req->abandoned = true;
        for (auto it = link->queued.begin(); it != link->queued.end(); ++it) {
          if (*it == req) {
            link->queued.erase(it);
            break;
          }
        }
        internal::Wake(*link);
        return cancelled ? Wait::kCancelled : Wait::kTimedOut;
      }
      if (link->state == Link::State::kConnecting && now >= link->setup_deadline) {
        internal::Kill(link,
                       Failed(Reply::Kind::kUnavailable, "the session bus at " + address +
                                                             " did not let us connect within 25 s (it accepted the "
                                                             "connection but did not authenticate or register it)"));
        continue;
      }
      auto until = std::min(deadline, now + kCallerStep);
      if (link->state == Link::State::kConnecting) until = std::min(until, link->setup_deadline);
      req->cv.wait_until(lock, until);
    }
  } catch (const std::exception& e) {
    *reply = Failed(Reply::Kind::kInternal, std::string("the D-Bus call failed: ") + e.what());
    return Wait::kAnswered;
  }
}

}  // namespace bus
}  // namespace entra_broker
