// Linux: a D-Bus client of the Microsoft Identity Broker (com.microsoft.identity.broker1) on the
// user's session bus. Every method is (sss) -> s: protocol version "0.0", correlation id, JSON request;
// the reply is one JSON string, passed up raw. Protocol notes: shared/research/linux-broker.md.
//
// Calls share one private connection per bus address (bus_link.h: so nothing here touches a
// connection other code in the process shares, and 200 calls at once cost one connection, not 200).
// Each method is sent with an infinite D-Bus timeout and waited for until the cancel token trips or
// the caller's deadline passes: the 25 s D-Bus default is far too short for a sign-in window. A
// cancelled or timed-out interactive call also sends cancelInteractiveFlow.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "../broker.h"
#include "bus_link.h"
#include "dbus_dl.h"

namespace entra_broker {

namespace {

using bus::Clock;
using dbus::Api;

constexpr const char* kBusName = "com.microsoft.identity.broker1";
constexpr const char* kObjectPath = "/com/microsoft/identity/broker1";
constexpr const char* kInterface = "com.microsoft.identity.Broker1";
constexpr const char* kProtocolVersion = "0.0";
constexpr std::uint32_t kAvailabilityTimeoutMs = 10000;  // includes activating the broker
constexpr int kCancelFlowWaitMs = 500;                   // best effort: never holds up the rejection long

const char* MethodFor(BrokerOp op) {
  switch (op) {
    case BrokerOp::kAvailability:
      return "getLinuxBrokerVersion";
    case BrokerOp::kInteractiveToken:
      return "acquireTokenInteractively";
    case BrokerOp::kSilentToken:
      return "acquireTokenSilently";
    case BrokerOp::kAccounts:
      return "getAccounts";
    case BrokerOp::kSignOut:
      return "removeAccount";
    case BrokerOp::kCancelInteractiveFlow:
      return "cancelInteractiveFlow";
  }
  return "getLinuxBrokerVersion";
}

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
         (xdg != nullptr && *xdg != '\0' ? "$XDG_RUNTIME_DIR/bus does not exist" : "XDG_RUNTIME_DIR is not set") +
         "; the Linux identity broker is reached over the desktop session's D-Bus";
  return "";
}

BrokerOutcome FromDbusError(const std::string& name, const std::string& message, const char* method) {
  const std::string prefix = "org.freedesktop.DBus.Error.";
  if (name == prefix + "ServiceUnknown" || name == prefix + "NameHasNoOwner") {
    return BrokerOutcome::Failure(codes::kUnavailable,
                                  std::string("the Microsoft Identity Broker (") + kBusName +
                                      ") is not running and cannot be activated on this session bus (" + message +
                                      "); install microsoft-identity-broker to use it",
                                  name);
  }
  if (name.compare(0, prefix.size() + 6, prefix + "Spawn.") == 0) {
    return BrokerOutcome::Failure(codes::kUnavailable,
                                  "the session bus could not start the Microsoft Identity Broker: " + message, name);
  }
  if (name == prefix + "NoReply") {
    return BrokerOutcome::Failure(
        codes::kNoReply, std::string("the identity broker left without answering ") + method + " (" + message + ")",
        name);
  }
  return BrokerOutcome::Failure(
      codes::kDbusError, std::string("the identity broker call ") + method + " failed: " + name + ": " + message, name);
}

// Calls `method` on the broker and waits for its reply, the deadline, or cancel (optional).
bus::Wait Invoke(const Api& d, const std::string& address, const char* method, const std::string& correlation_id,
                 const std::string& json, Clock::time_point deadline, const CancelToken* cancel, BrokerOutcome* out) {
  bus::MethodCall call{kBusName, kObjectPath, kInterface, method, {kProtocolVersion, correlation_id, json}};
  bus::Reply r;
  bus::Wait wait = bus::CallOnBus(d, address, call, deadline, cancel, &r);
  if (wait != bus::Wait::kAnswered) return wait;
  switch (r.kind) {
    case bus::Reply::Kind::kString:
      *out = BrokerOutcome::Success(std::move(r.text));
      break;
    case bus::Reply::Kind::kError:
      *out = FromDbusError(r.error_name, r.error_message, method);
      break;
    case bus::Reply::Kind::kNotOneString:
      *out = BrokerOutcome::Failure(codes::kBadReply,
                                    std::string("the identity broker answered ") + method +
                                        " with something other than one string: " + r.error_message,
                                    r.error_name);
      break;
    case bus::Reply::Kind::kDisconnected:
      *out = BrokerOutcome::Failure(codes::kNoReply,
                                    std::string("the session bus connection closed before ") + method + " was answered",
                                    "org.freedesktop.DBus.Error.Disconnected");
      break;
    case bus::Reply::Kind::kUnavailable:
      *out = BrokerOutcome::Failure(codes::kUnavailable, r.error_message, r.error_name);
      break;
    case bus::Reply::Kind::kInternal:
      *out = BrokerOutcome::Failure(codes::kInternal, r.error_message);
      break;
  }
  return wait;
}

}  // namespace

const char* BrokerBackendName() { return "linux-dbus"; }

BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken& cancel) {
  std::string why;
  const Api* d = dbus::Load(&why);
  if (d == nullptr) return BrokerOutcome::Failure(codes::kLibraryMissing, why);
  // libdbus aborts the process on a string that is not UTF-8, and a NUL would cut the request short.
  if (!IsValidUtf8(call.payload) || call.payload.find('\0') != std::string::npos || !IsValidUtf8(call.correlation_id) ||
      call.correlation_id.find('\0') != std::string::npos)
    return BrokerOutcome::Failure(codes::kInvalidRequest, "the request is not valid UTF-8 text without NUL");
  if (cancel.IsCancelled()) return BrokerOutcome::Failure(codes::kCancelled, "the broker call was cancelled");

  std::string address = SessionBusAddress(&why);
  if (address.empty()) return BrokerOutcome::Failure(codes::kUnavailable, why);

  const char* method = MethodFor(call.op);
  std::uint32_t timeout_ms = call.timeout_ms;
  if (timeout_ms == 0 && call.op == BrokerOp::kAvailability) timeout_ms = kAvailabilityTimeoutMs;
  auto deadline = timeout_ms == 0 ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(timeout_ms);

  BrokerOutcome out;
  bus::Wait wait = Invoke(*d, address, method, call.correlation_id, call.payload, deadline, &cancel, &out);
  if (wait == bus::Wait::kAnswered) return out;

  if (call.op == BrokerOp::kInteractiveToken) {
    // Close the broker's sign-in window too. The request shape is undocumented; the correlation id
    // names the flow. Its outcome does not change ours.
    BrokerOutcome ignored;
    Invoke(*d, address, MethodFor(BrokerOp::kCancelInteractiveFlow), call.correlation_id, "{}",
           Clock::now() + std::chrono::milliseconds(kCancelFlowWaitMs), nullptr, &ignored);
  }
  if (wait == bus::Wait::kCancelled)
    return BrokerOutcome::Failure(codes::kCancelled, std::string("the broker call ") + method + " was cancelled");
  return BrokerOutcome::Failure(codes::kTimeout, std::string("the identity broker did not answer ") + method +
                                                     " within " + std::to_string(timeout_ms) + " ms");
}

}  // namespace entra_broker
