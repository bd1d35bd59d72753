// One shared connection per bus address, for every call in the process: connected, authenticated
// and registered (Hello) once, then pumped by a dispatcher thread of its own. Only that thread ever
// touches the libdbus connection, and only it blocks in libdbus (connect() included); a caller waits
// on its own condition variable, so its deadline and cancel hold in every phase (connect,
// authenticate, Hello, the method call) whatever the bus does. At most kMaxInFlight method calls are
// outstanding on a connection; the rest queue (still honouring their deadline and cancel). A
// connection that drops fails its pending calls and is forgotten: the next call opens a new one.
#ifndef ENTRA_BROKER_LINUX_BUS_LINK_H_
#define ENTRA_BROKER_LINUX_BUS_LINK_H_

#include <chrono>
#include <string>

#include "../broker.h"
#include "dbus_dl.h"

namespace entra_broker {
namespace bus {

using Clock = std::chrono::steady_clock;

struct MethodCall {
  const char* destination;
  const char* path;
  const char* interface;
  const char* method;
  std::string args[3];  // three string arguments (the broker's methods are all (sss) -> s)
};

struct Reply {
  enum class Kind {
    kString,        // text: the reply's one string
    kNotOneString,  // the reply had another shape; error_name / error_message say how
    kError,         // a D-Bus error reply: error_name / error_message
    kDisconnected,  // the bus connection closed before the reply
    kUnavailable,   // could not connect, authenticate or register: error_message (error_name if any)
    kInternal,      // out of memory, no thread: error_message
  };
  Kind kind = Kind::kInternal;
  std::string text;
  std::string error_name;
  std::string error_message;
};

enum class Wait { kAnswered, kCancelled, kTimedOut };

// Sends `call` over the shared connection to `address` and waits for its reply (kAnswered, *reply
// set), `deadline` (kTimedOut) or `cancel` (kCancelled; may be null). Never throws.
Wait CallOnBus(const dbus::Api& d, const std::string& address, const MethodCall& call, Clock::time_point deadline,
               const CancelToken* cancel, Reply* reply) noexcept;

}  // namespace bus
}  // namespace entra_broker

#endif  // ENTRA_BROKER_LINUX_BUS_LINK_H_
