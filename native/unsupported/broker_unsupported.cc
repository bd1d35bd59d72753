// Every OS without a broker client: the addon loads, and each call says so.
#include "../broker.h"

namespace entra_broker {

const char* BrokerBackendName() { return "unsupported"; }

BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken&) {
  return BrokerOutcome::Failure(
      codes::kUnsupportedPlatform,
      std::string("no identity broker client is built for this platform (operation ") + BrokerOpName(call.op) + ")");
}

}  // namespace entra_broker
