// The shared bus connection and its dispatcher thread (see bus_link.h). One mutex guards the registry
// and every link's queue and state; the dispatcher drops it while it does I/O.
#include "bus_link.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace entra_broker {
namespace bus {

namespace {

using dbus::Api;
using dbus::DBusConnection;
using dbus::DBusError;
using dbus::DBusMessage;
using dbus::DBusPendingCall;

constexpr std::size_t kMaxInFlight = 64;                // outstanding method calls per connection; more wait their turn
constexpr auto kSetupLimit = std::chrono::seconds(25);  // connect + authenticate + Hello (D-Bus's default)
constexpr auto kIdleClose = std::chrono::seconds(30);   // an unused connection is closed after this
constexpr auto kCallerStep = std::chrono::milliseconds(50);  // how often a waiting caller checks cancel
constexpr int kAuthPollMs = 10;  // while authenticating, libdbus's own writes are not visible to poll()
constexpr int kIdlePollMs = 1000;

struct Request {
  MethodCall call;
  DBusPendingCall* pending = nullptr;  // dispatcher only
  bool done = false;                   // guarded by g_mu, as are the fields below
  bool abandoned = false;              // the caller stopped waiting (cancel, deadline)
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

// Leaked on purpose: call threads may still use them while the process exits.
std::mutex& g_mu = *new std::mutex();
std::map<std::string, std::shared_ptr<Link>>& g_links = *new std::map<std::string, std::shared_ptr<Link>>();

class ScopedError {
 public:
  explicit ScopedError(const Api& d) : d_(d) { d_.error_init(&e_); }
  ~ScopedError() { d_.error_free(&e_); }
  ScopedError(const ScopedError&) = delete;
  ScopedError& operator=(const ScopedError&) = delete;
  DBusError* get() { return &e_; }
  std::string name() const { return e_.name != nullptr ? e_.name : ""; }
  std::string message() const { return e_.message != nullptr ? e_.message : ""; }

 private:
  const Api& d_;
  DBusError e_;
};

Reply Failed(Reply::Kind kind, std::string message, std::string name = "") {
  Reply r;
  r.kind = kind;
  r.error_message = std::move(message);
  r.error_name = std::move(name);
  return r;
}

// With g_mu held.
void Wake(Link& link) {
  if (link.wake_fd < 0 || link.state == Link::State::kDead) return;
  std::uint64_t one = 1;
  (void)!write(link.wake_fd, &one, sizeof one);
}

void Finish(Request& r, Reply reply) {  // with g_mu held
  if (r.done) return;
  r.done = true;
  r.reply = std::move(reply);
  r.cv.notify_all();
}

// With g_mu held: the link ends; its queued calls fail with `why`, and the next call opens a new one.
void Kill(const std::shared_ptr<Link>& link, const Reply& why) {
  Wake(*link);
  link->state = Link::State::kDead;
  auto it = g_links.find(link->address);
  if (it != g_links.end() && it->second == link) g_links.erase(it);
  for (auto& r : link->queued) Finish(*r, why);
  link->queued.clear();
}

Reply Decode(const Api& d, DBusMessage* msg) {
  ScopedError err(d);
  Reply r;
  if (d.message_get_type(msg) == dbus::kMessageTypeError) {
    d.set_error_from_message(err.get(), msg);
    r.kind = Reply::Kind::kError;
  } else {
    const char* text = nullptr;
    if (d.message_get_args(msg, err.get(), dbus::kTypeString, &text, dbus::kTypeInvalid) && text != nullptr) {
      r.kind = Reply::Kind::kString;
      r.text = text;
      return r;
    }
    r.kind = Reply::Kind::kNotOneString;
  }
  r.error_name = err.name();
  r.error_message = err.message();
  return r;
}

DBusPendingCall* Send(const Api& d, DBusConnection* conn, const MethodCall& c, int nargs) {
  DBusMessage* msg = d.message_new_method_call(c.destination, c.path, c.interface, c.method);
  if (msg == nullptr) return nullptr;
  const char* a[3] = {c.args[0].c_str(), c.args[1].c_str(), c.args[2].c_str()};
  DBusPendingCall* pending = nullptr;
  bool ok = (nargs == 0 || d.message_append_args(msg, dbus::kTypeString, &a[0], dbus::kTypeString, &a[1],
                                                 dbus::kTypeString, &a[2], dbus::kTypeInvalid) != 0) &&
            d.connection_send_with_reply(conn, msg, &pending, dbus::kTimeoutInfinite) != 0;
  d.message_unref(msg);
  return ok ? pending : nullptr;  // null pending with ok: the connection is already closed
}

void Drop(const Api& d, DBusPendingCall*& p) {
  if (p == nullptr) return;
  d.pending_call_cancel(p);
  d.pending_call_unref(p);
  p = nullptr;
}

// The dispatcher: connects, registers, then sends queued calls and delivers replies until the
// connection drops, the link is killed (its setup took too long) or it has been idle a while.
void Dispatch(const Api* api, std::shared_ptr<Link> link) {
  const Api& d = *api;
  DBusConnection* conn = nullptr;
  {
    ScopedError err(d);
    conn = d.connection_open_private(link->address.c_str(), err.get());  // may block in connect()
    std::lock_guard<std::mutex> lock(g_mu);
    if (conn == nullptr)
      Kill(link, Failed(Reply::Kind::kUnavailable,
                        "cannot connect to the session bus at " + link->address + ": " + err.message(), err.name()));
  }
  if (conn == nullptr) {
    std::lock_guard<std::mutex> lock(g_mu);
    close(link->wake_fd);
    link->wake_fd = -1;
    return;
  }
  d.connection_set_exit_on_disconnect(conn, 0);
  MethodCall hello{"org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", {}};
  DBusPendingCall* hello_pending = Send(d, conn, hello, 0);
  int fd = -1;
  if (!d.connection_get_socket(conn, &fd)) fd = -1;
  std::vector<std::shared_ptr<Request>> in_flight;
  auto idle_since = Clock::now();
  bool ready = false;

  for (;;) {
    std::vector<std::shared_ptr<Request>> to_send;
    {
      std::lock_guard<std::mutex> lock(g_mu);
      if (link->state == Link::State::kDead) break;
      if (hello_pending == nullptr && !ready) {
        Kill(link, Failed(Reply::Kind::kUnavailable, "the session bus at " + link->address + " closed the connection"));
        break;
      }
      for (auto it = in_flight.begin(); it != in_flight.end();) {
        if ((*it)->abandoned) {
          Drop(d, (*it)->pending);
          it = in_flight.erase(it);
        } else {
          ++it;
        }
      }
      while (ready && !link->queued.empty() && in_flight.size() + to_send.size() < kMaxInFlight) {
        to_send.push_back(link->queued.front());
        link->queued.pop_front();
      }
      link->in_flight = in_flight.size() + to_send.size();
      auto now = Clock::now();
      if (link->queued.empty() && link->in_flight == 0) {
        if (ready && now - idle_since >= kIdleClose) {
          Kill(link, Failed(Reply::Kind::kInternal, "closed while idle"));
          break;
        }
      } else {
        idle_since = now;
      }
    }
    for (auto& r : to_send) {
      r->pending = Send(d, conn, r->call, 3);
      if (r->pending != nullptr) {
        in_flight.push_back(r);
        continue;
      }
      std::lock_guard<std::mutex> lock(g_mu);
      Finish(*r, d.connection_get_is_connected(conn)
                     ? Failed(Reply::Kind::kInternal, "out of memory sending a D-Bus message")
                     : Failed(Reply::Kind::kDisconnected, "the session bus closed the connection"));
    }

    (void)d.connection_read_write(conn, 0);  // authenticates, writes what is queued, reads what came
    while (d.connection_dispatch(conn) == dbus::kDispatchDataRemains) {
    }
    if (hello_pending != nullptr && d.pending_call_get_completed(hello_pending)) {
      DBusMessage* msg = d.pending_call_steal_reply(hello_pending);
      d.pending_call_unref(hello_pending);
      hello_pending = nullptr;
      Reply r = msg != nullptr ? Decode(d, msg) : Failed(Reply::Kind::kError, "no reply");
      if (msg != nullptr) d.message_unref(msg);
      std::lock_guard<std::mutex> lock(g_mu);
      if (r.kind != Reply::Kind::kString) {
        Kill(link, Failed(Reply::Kind::kUnavailable,
                          "the session bus at " + link->address + " refused the connection: " + r.error_message,
                          r.error_name));
        break;
      }
      ready = true;
      if (link->state == Link::State::kConnecting) link->state = Link::State::kReady;
      continue;  // send what waited for the registration
    }
    for (auto it = in_flight.begin(); it != in_flight.end();) {
      Request& r = **it;
      if (!d.pending_call_get_completed(r.pending)) {
        ++it;
        continue;
      }
      DBusMessage* msg = d.pending_call_steal_reply(r.pending);
      d.pending_call_unref(r.pending);
      r.pending = nullptr;
      Reply reply =
          msg != nullptr ? Decode(d, msg) : Failed(Reply::Kind::kInternal, "a completed D-Bus call had no reply");
      if (msg != nullptr) d.message_unref(msg);
      std::lock_guard<std::mutex> lock(g_mu);
      Finish(r, std::move(reply));
      it = in_flight.erase(it);
    }
    if (!d.connection_get_is_connected(conn)) {
      std::lock_guard<std::mutex> lock(g_mu);
      Reply gone = ready ? Failed(Reply::Kind::kDisconnected, "the session bus connection closed")
                         : Failed(Reply::Kind::kUnavailable,
                                  "the session bus at " + link->address + " closed the connection while we registered");
      for (auto& r : in_flight) Finish(*r, gone);
      Kill(link, gone);
      break;
    }

    int wake_fd;
    {
      std::lock_guard<std::mutex> lock(g_mu);
      wake_fd = link->wake_fd;
    }
    int timeout = ready && d.connection_get_is_authenticated(conn) ? kIdlePollMs : kAuthPollMs;
    pollfd fds[2] = {{wake_fd, POLLIN, 0}, {fd, static_cast<short>(POLLIN), 0}};
    if (fd >= 0 && d.connection_has_messages_to_send(conn)) fds[1].events |= POLLOUT;
    if (fd < 0) timeout = kAuthPollMs;  // no socket to watch (not expected on unix: or tcp:): poll often
    if (poll(fds, fd >= 0 ? 2 : 1, timeout) > 0 && (fds[0].revents & POLLIN)) {
      std::uint64_t n;
      (void)!read(wake_fd, &n, sizeof n);
    }
  }

  for (auto& r : in_flight) Drop(d, r->pending);
  Drop(d, hello_pending);
  d.connection_close(conn);
  d.connection_unref(conn);
  std::lock_guard<std::mutex> lock(g_mu);
  {
    Reply gone = Failed(Reply::Kind::kDisconnected, "the session bus connection closed");
    for (auto& r : in_flight) Finish(*r, gone);
  }
  if (link->wake_fd >= 0) close(link->wake_fd);
  link->wake_fd = -1;
}

void DispatchOrFail(const Api* d, std::shared_ptr<Link> link) {
  try {
    Dispatch(d, link);
  } catch (...) {  // out of memory: end the link (its connection is leaked), never the process
    std::lock_guard<std::mutex> lock(g_mu);
    Kill(link, Failed(Reply::Kind::kInternal, "the D-Bus thread ran out of memory"));
  }
}

// With g_mu held: the live link to `address`, started if there is none. Null (and *why) on failure.
std::shared_ptr<Link> LinkTo(const Api& d, const std::string& address, Reply* why) {
  auto it = g_links.find(address);
  if (it != g_links.end()) return it->second;
  auto link = std::make_shared<Link>();
  link->address = address;
  link->setup_deadline = Clock::now() + kSetupLimit;
  link->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (link->wake_fd < 0) {
    *why = Failed(Reply::Kind::kInternal, "eventfd() failed");
    return nullptr;
  }
  try {
    std::thread(DispatchOrFail, &d, link).detach();
  } catch (const std::exception& e) {
    close(link->wake_fd);
    *why = Failed(Reply::Kind::kInternal, std::string("could not start the D-Bus thread: ") + e.what());
    return nullptr;
  }
  g_links[address] = link;
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
    Wake(*link);
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
        Wake(*link);
        return cancelled ? Wait::kCancelled : Wait::kTimedOut;
      }
      if (link->state == Link::State::kConnecting && now >= link->setup_deadline) {
        Kill(link, Failed(Reply::Kind::kUnavailable, "the session bus at " + address +
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
