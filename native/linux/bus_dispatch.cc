// The dispatcher thread of one shared bus connection (see bus_link.h): the only code that touches
// the libdbus connection. It connects, registers (Hello), sends queued calls and delivers replies
// until the connection drops, the link is killed or it has been idle a while.
#include <poll.h>
#include <unistd.h>

#include <vector>

#include "bus_link_internal.h"

namespace entra_broker {
namespace bus {
namespace internal {

namespace {

using dbus::Api;
using dbus::DBusConnection;
using dbus::DBusError;
using dbus::DBusMessage;
using dbus::DBusPendingCall;

constexpr std::size_t kMaxInFlight = 64;               // outstanding method calls per connection; more wait their turn
constexpr auto kIdleClose = std::chrono::seconds(30);  // an unused connection is closed after this
constexpr int kAuthPollMs = 10;  // while authenticating, libdbus's own writes are not visible to poll()
constexpr int kIdlePollMs = 1000;

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

}  // namespace

void DispatchOrFail(const Api* d, std::shared_ptr<Link> link) {
  try {
    Dispatch(d, link);
  } catch (...) {  // out of memory: end the link (its connection is leaked), never the process
    std::lock_guard<std::mutex> lock(g_mu);
    Kill(link, Failed(Reply::Kind::kInternal, "the D-Bus thread ran out of memory"));
  }
}

}  // namespace internal
}  // namespace bus
}  // namespace entra_broker
