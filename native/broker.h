// The platform-neutral contract between the N-API binding (binding.cc) and the per-OS broker clients
// (linux/, win/, mac/, unsupported/). No N-API types here: an OS file sees plain C++17 only.
//
// Threading: the binding copies the JS arguments into a BrokerCall on the JS thread, then calls
// RunBrokerCall() on a thread of its own. The OS code blocks there as long as it needs, checking
// the CancelToken (tripped from the JS thread, or at environment teardown) at least every ~100 ms,
// and returns a BrokerOutcome. It must not throw; an escaping exception becomes BROKER_INTERNAL.
//
// Adding an OS: put its files in native/<linux|win|mac>/ (*.cc; mac also *.mm), define
// RunBrokerCall() and BrokerBackendName() there, and nothing else changes: native/sources.js lists
// the sources for binding.gyp and CMakeLists.txt alike (an OS with no folder builds unsupported/).
// Pass the broker's reply up raw (ok + payload); fail with one of codes::* and the OS's own error
// (os_error: a name; os_code + has_os_code: an HRESULT or errno). The thread is the binding's own,
// not the libuv pool, so blocking for minutes is fine; initialise COM etc. per call on it.
#ifndef ENTRA_BROKER_BROKER_H_
#define ENTRA_BROKER_BROKER_H_

#include <atomic>
#include <cstdint>
#include <string>

namespace entra_broker {

// One value per broker operation. Each OS maps it to its own call (D-Bus method, WAM API, ...).
enum class BrokerOp {
  kAvailability,           // is a broker reachable? payload: its version (Linux: getLinuxBrokerVersion)
  kInteractiveToken,       // may show UI, parented to BrokerCall::parent_window
  kSilentToken,            // never shows UI
  kAccounts,               // accounts the broker knows
  kSignOut,                // remove / sign out an account
  kCancelInteractiveFlow,  // ask the broker to end an interactive flow (correlation id = that flow's)
};

// Stable, documented error codes (the JS `code`). Keep in sync with src/broker/native.ts.
namespace codes {
constexpr const char* kUnavailable = "BROKER_UNAVAILABLE";         // no broker / no bus / name not activatable
constexpr const char* kNoReply = "BROKER_NO_REPLY";                // the broker went away without answering
constexpr const char* kTimeout = "BROKER_TIMEOUT";                 // BrokerCall::timeout_ms elapsed
constexpr const char* kCancelled = "BROKER_CANCELLED";             // CancelToken tripped
constexpr const char* kDbusError = "BROKER_DBUS_ERROR";            // any other D-Bus error (os_error = name)
constexpr const char* kOsError = "BROKER_OS_ERROR";                // an OS API failed (os_code = HRESULT, errno...)
constexpr const char* kBadReply = "BROKER_BAD_REPLY";              // the reply had an unexpected shape
constexpr const char* kInvalidRequest = "BROKER_INVALID_REQUEST";  // request the OS layer cannot send
constexpr const char* kLibraryMissing = "LIBRARY_MISSING";         // a runtime library (libdbus-1) is absent
constexpr const char* kUnsupportedPlatform = "UNSUPPORTED_PLATFORM";
constexpr const char* kInternal = "BROKER_INTERNAL";  // out of memory, no thread, a bug
}  // namespace codes

// Tripped from any thread; read by the thread running the call. Never reset.
class CancelToken {
 public:
  void Cancel() noexcept { cancelled_.store(true, std::memory_order_release); }
  bool IsCancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> cancelled_{false};
};

struct BrokerCall {
  BrokerOp op = BrokerOp::kAvailability;
  std::string payload;              // the method-specific JSON request, UTF-8, no NUL, <= 1 MiB
  std::uint64_t parent_window = 0;  // HWND / NSWindow* / X11 XID; 0 = none
  std::uint32_t timeout_ms = 0;     // 0 = no limit (kAvailability: the OS default, a few seconds)
  std::string correlation_id;       // never empty: the binding generates one when JS passes none
};

struct BrokerError {
  std::string code;      // one of codes::*
  std::string os_error;  // the OS's own name for it (D-Bus error name), "" if none
  std::int64_t os_code = 0;
  bool has_os_code = false;  // os_code is meaningful (HRESULT, errno)
  std::string message;       // one readable sentence, says what to do where it can
};

struct BrokerOutcome {
  bool ok = false;
  std::string payload;  // ok: the broker's reply, raw (the TypeScript layer parses it)
  BrokerError error;    // !ok

  static BrokerOutcome Success(std::string reply) {
    BrokerOutcome o;
    o.ok = true;
    o.payload = std::move(reply);
    return o;
  }
  static BrokerOutcome Failure(const char* code, std::string message, std::string os_error = "") {
    BrokerOutcome o;
    o.error.code = code;
    o.error.message = std::move(message);
    o.error.os_error = std::move(os_error);
    return o;
  }
};

// Implemented once per OS. Blocks; honours cancel and call.timeout_ms; never throws.
BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken& cancel);

// Which broker this build talks to: "linux-dbus", "wam", "macos-sso" or "unsupported".
const char* BrokerBackendName();

// Implemented once per OS. Keeps this shared object (the .node file) mapped until the process exits.
// Node unloads an addon when the last environment that loaded it ends (a worker_thread, with the
// main thread never loading it), while a call's thread may still be running our code. The binding
// calls it once, at the first module init, before any call can start. Idempotent, never throws; on
// failure it does nothing (the addon still works, only the unload window stays open).
void PinModuleForProcessLifetime();

// Shared helpers (broker_common.cc).
std::string NewCorrelationId();  // random RFC 4122 version 4 UUID, lower case
bool IsValidUtf8(const std::string& s);
const char* BrokerOpName(BrokerOp op);  // "availability", "interactiveToken", ... (the JS names)
bool ParseBrokerOp(const std::string& name, BrokerOp* out);

}  // namespace entra_broker

#endif  // ENTRA_BROKER_BROKER_H_
