// Linux: a D-Bus client of the Microsoft Identity Broker (com.microsoft.identity.broker1) on the
// user's session bus. Every method is (sss) -> s: protocol version "0.0", correlation id, JSON request;
// the reply is one JSON string, passed up raw. Protocol notes: shared/research/linux-broker.md.
//
// Each call opens its own private connection (so nothing here touches a connection that other code
// in the process shares), sends the method with an infinite D-Bus timeout, and then pumps the
// connection in short steps, checking the cancel token and the caller's deadline in between:
// dbus_pending_call_block() could not be cancelled, and the 25 s D-Bus default is far too short for a
// sign-in window. A cancelled or timed-out interactive call also sends cancelInteractiveFlow.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "../broker.h"
#include "dbus_dl.h"

namespace entra_broker {

namespace {

using Clock = std::chrono::steady_clock;
using dbus::Api;
using dbus::DBusConnection;
using dbus::DBusError;
using dbus::DBusMessage;
using dbus::DBusPendingCall;

constexpr const char* kBusName = "com.microsoft.identity.broker1";
constexpr const char* kObjectPath = "/com/microsoft/identity/broker1";
constexpr const char* kInterface = "com.microsoft.identity.Broker1";
constexpr const char* kProtocolVersion = "0.0";
constexpr int kStepMs = 50;                          // how often cancel and the deadline are checked
constexpr std::uint32_t kAvailabilityTimeoutMs = 10000;  // includes activating the broker
constexpr int kCancelFlowWaitMs = 500;               // best effort: never holds up the rejection long

const char* MethodFor(BrokerOp op) {
  switch (op) {
    case BrokerOp::kAvailability: return "getLinuxBrokerVersion";
    case BrokerOp::kInteractiveToken: return "acquireTokenInteractively";
    case BrokerOp::kSilentToken: return "acquireTokenSilently";
    case BrokerOp::kAccounts: return "getAccounts";
    case BrokerOp::kSignOut: return "removeAccount";
    case BrokerOp::kCancelInteractiveFlow: return "cancelInteractiveFlow";
  }
  return "getLinuxBrokerVersion";
}

// A DBusError that frees itself.
class ScopedError {
 public:
  explicit ScopedError(const Api& d) : d_(d) { d_.error_init(&e_); }
  ~ScopedError() { d_.error_free(&e_); }
  ScopedError(const ScopedError&) = delete;
  ScopedError& operator=(const ScopedError&) = delete;
  DBusError* get() { return &e_; }
  bool is_set() const { return e_.name != nullptr; }
  std::string name() const { return e_.name != nullptr ? e_.name : ""; }
  std::string message() const { return e_.message != nullptr ? e_.message : ""; }

 private:
  const Api& d_;
  DBusError e_;
};

// A private connection: closed and released on scope exit.
class PrivateConnection {
 public:
  explicit PrivateConnection(const Api& d) : d_(d) {}
  ~PrivateConnection() {
    if (conn_ != nullptr) {
      d_.connection_close(conn_);
      d_.connection_unref(conn_);
    }
  }
  PrivateConnection(const PrivateConnection&) = delete;
  PrivateConnection& operator=(const PrivateConnection&) = delete;

  bool Open(const std::string& address, BrokerOutcome* failure) {
    ScopedError err(d_);
    conn_ = d_.connection_open_private(address.c_str(), err.get());
    if (conn_ == nullptr) {
      *failure = BrokerOutcome::Failure(
          codes::kUnavailable, "cannot connect to the session bus at " + address + ": " + err.message(),
          err.name());
      return false;
    }
    d_.connection_set_exit_on_disconnect(conn_, 0);
    if (!d_.bus_register(conn_, err.get())) {
      *failure = BrokerOutcome::Failure(
          codes::kUnavailable, "the session bus at " + address + " refused the connection: " + err.message(),
          err.name());
      return false;
    }
    return true;
  }
  DBusConnection* get() const { return conn_; }

 private:
  const Api& d_;
  DBusConnection* conn_ = nullptr;
};

std::string EscapeAddressValue(const std::string& v) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || std::strchr("-_/.\\*", c) != nullptr) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// DBUS_SESSION_BUS_ADDRESS, else the systemd user bus socket, as libdbus itself would (without its
// X11 autolaunch, which would spawn a bus of our own).
std::string SessionBusAddress(std::string* why) {
  const char* env = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (env != nullptr && *env != '\0') return env;
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg != nullptr && *xdg != '\0') {
    std::string path = std::string(xdg) + "/bus";
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) && st.st_uid == getuid())
      return "unix:path=" + EscapeAddressValue(path);
  }
  *why = std::string("no session bus: DBUS_SESSION_BUS_ADDRESS is not set and ") +
         (xdg != nullptr && *xdg != '\0' ? "$XDG_RUNTIME_DIR/bus does not exist"
                                         : "XDG_RUNTIME_DIR is not set") +
         "; the Linux identity broker is reached over the desktop session's D-Bus";
  return "";
}

BrokerOutcome FromDbusError(const std::string& name, const std::string& message, const char* method) {
  const std::string prefix = "org.freedesktop.DBus.Error.";
  if (name == prefix + "ServiceUnknown" || name == prefix + "NameHasNoOwner") {
    return BrokerOutcome::Failure(codes::kUnavailable,
                                  std::string("the Microsoft Identity Broker (") + kBusName +
                                      ") is not running and cannot be activated on this session bus (" +
                                      message + "); install microsoft-identity-broker to use it",
                                  name);
  }
  if (name.compare(0, prefix.size() + 6, prefix + "Spawn.") == 0) {
    return BrokerOutcome::Failure(codes::kUnavailable,
                                  "the session bus could not start the Microsoft Identity Broker: " + message,
                                  name);
  }
  if (name == prefix + "NoReply") {
    return BrokerOutcome::Failure(
        codes::kNoReply,
        std::string("the identity broker left without answering ") + method + " (" + message + ")", name);
  }
  return BrokerOutcome::Failure(codes::kDbusError,
                                std::string("the identity broker call ") + method + " failed: " + name + ": " +
                                    message,
                                name);
}

enum class Stop { kAnswered, kCancelled, kTimedOut, kDisconnected };

// Calls `method` and waits for its reply until cancel (optional) trips or the deadline passes.
BrokerOutcome Invoke(const Api& d, DBusConnection* conn, const char* method, const std::string& correlation_id,
                     const std::string& json, Clock::time_point deadline, const CancelToken* cancel,
                     Stop* stop) {
  *stop = Stop::kAnswered;
  DBusMessage* msg = d.message_new_method_call(kBusName, kObjectPath, kInterface, method);
  if (msg == nullptr) return BrokerOutcome::Failure(codes::kInternal, "out of memory building a D-Bus message");
  const char* a1 = kProtocolVersion;
  const char* a2 = correlation_id.c_str();
  const char* a3 = json.c_str();
  DBusPendingCall* pending = nullptr;
  bool sent = d.message_append_args(msg, dbus::kTypeString, &a1, dbus::kTypeString, &a2, dbus::kTypeString,
                                    &a3, dbus::kTypeInvalid) != 0 &&
              d.connection_send_with_reply(conn, msg, &pending, dbus::kTimeoutInfinite) != 0;
  d.message_unref(msg);
  if (!sent) return BrokerOutcome::Failure(codes::kInternal, "out of memory sending a D-Bus message");
  if (pending == nullptr) {
    *stop = Stop::kDisconnected;
    return BrokerOutcome::Failure(codes::kDbusError, "the session bus closed the connection",
                                  "org.freedesktop.DBus.Error.Disconnected");
  }

  while (d.pending_call_get_completed(pending) == 0) {
    if (cancel != nullptr && cancel->IsCancelled()) {
      *stop = Stop::kCancelled;
      break;
    }
    auto now = Clock::now();
    if (now >= deadline) {
      *stop = Stop::kTimedOut;
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    int step = static_cast<int>(std::min<long long>(kStepMs, left));
    if (d.connection_read_write_dispatch(conn, step) == 0 && d.pending_call_get_completed(pending) == 0) {
      *stop = Stop::kDisconnected;
      break;
    }
  }
  if (*stop != Stop::kAnswered) {
    d.pending_call_cancel(pending);
    d.pending_call_unref(pending);
    if (*stop == Stop::kDisconnected)
      return BrokerOutcome::Failure(codes::kNoReply,
                                    std::string("the session bus connection closed before ") + method +
                                        " was answered",
                                    "org.freedesktop.DBus.Error.Disconnected");
    return BrokerOutcome::Failure(codes::kInternal, "stopped");  // replaced by the caller
  }

  DBusMessage* reply = d.pending_call_steal_reply(pending);
  d.pending_call_unref(pending);
  if (reply == nullptr) return BrokerOutcome::Failure(codes::kInternal, "a completed D-Bus call had no reply");
  BrokerOutcome out;
  ScopedError err(d);
  if (d.message_get_type(reply) == dbus::kMessageTypeError) {
    d.set_error_from_message(err.get(), reply);
    out = FromDbusError(err.name(), err.message(), method);
  } else {
    const char* text = nullptr;
    if (d.message_get_args(reply, err.get(), dbus::kTypeString, &text, dbus::kTypeInvalid) && text != nullptr) {
      out = BrokerOutcome::Success(text);
    } else {
      out = BrokerOutcome::Failure(codes::kBadReply,
                                   std::string("the identity broker answered ") + method +
                                       " with something other than one string: " + err.message(),
                                   err.name());
    }
  }
  d.message_unref(reply);
  return out;
}

}  // namespace

const char* BrokerBackendName() { return "linux-dbus"; }

BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken& cancel) {
  std::string why;
  const Api* d = dbus::Load(&why);
  if (d == nullptr) return BrokerOutcome::Failure(codes::kLibraryMissing, why);
  // libdbus aborts the process on a string that is not UTF-8, and a NUL would cut the request short.
  if (!IsValidUtf8(call.payload) || call.payload.find('\0') != std::string::npos ||
      !IsValidUtf8(call.correlation_id) || call.correlation_id.find('\0') != std::string::npos)
    return BrokerOutcome::Failure(codes::kInvalidRequest, "the request is not valid UTF-8 text without NUL");
  if (cancel.IsCancelled()) return BrokerOutcome::Failure(codes::kCancelled, "the broker call was cancelled");

  std::string address = SessionBusAddress(&why);
  if (address.empty()) return BrokerOutcome::Failure(codes::kUnavailable, why);
  PrivateConnection conn(*d);
  BrokerOutcome failure;
  if (!conn.Open(address, &failure)) return failure;

  const char* method = MethodFor(call.op);
  std::uint32_t timeout_ms = call.timeout_ms;
  if (timeout_ms == 0 && call.op == BrokerOp::kAvailability) timeout_ms = kAvailabilityTimeoutMs;
  auto deadline = timeout_ms == 0 ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(timeout_ms);

  Stop stop;
  BrokerOutcome out = Invoke(*d, conn.get(), method, call.correlation_id, call.payload, deadline, &cancel, &stop);
  if (stop != Stop::kCancelled && stop != Stop::kTimedOut) return out;

  if (call.op == BrokerOp::kInteractiveToken) {
    // Close the broker's sign-in window too. The request shape is undocumented; the correlation id
    // names the flow. Its outcome does not change ours.
    Stop ignored;
    Invoke(*d, conn.get(), MethodFor(BrokerOp::kCancelInteractiveFlow), call.correlation_id, "{}",
           Clock::now() + std::chrono::milliseconds(kCancelFlowWaitMs), nullptr, &ignored);
  }
  if (stop == Stop::kCancelled)
    return BrokerOutcome::Failure(codes::kCancelled, std::string("the broker call ") + method + " was cancelled");
  return BrokerOutcome::Failure(codes::kTimeout, std::string("the identity broker did not answer ") + method +
                                                     " within " + std::to_string(timeout_ms) + " ms");
}

}  // namespace entra_broker
