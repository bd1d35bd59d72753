// Windows: the Web Account Manager (WAM) through the WinRT ABI (winrt_abi.h), one call per thread.
// Each call reads its request (wam_request.h), initialises the Windows Runtime on its own thread
// (multithreaded apartment), and runs its WAM operations in one session (wam_session.h).
#include <roapi.h>

#include "../broker.h"
#include "async_wait.h"
#include "wam_request.h"
#include "wam_session.h"

namespace entra_broker {

namespace {

constexpr std::uint32_t kAvailabilityTimeoutMs = 10000;

// RoInitialize on this thread for the call's lifetime.
class RuntimeScope {
 public:
  RuntimeScope() : hr_(RoInitialize(RO_INIT_MULTITHREADED)) {
    owned_ = SUCCEEDED(hr_);  // S_OK or S_FALSE; RPC_E_CHANGED_MODE: someone else's apartment, still usable
  }
  ~RuntimeScope() {
    if (owned_) RoUninitialize();
  }
  bool ok() const { return owned_ || hr_ == RPC_E_CHANGED_MODE; }
  HRESULT hr() const { return hr_; }

 private:
  HRESULT hr_;
  bool owned_ = false;
};

BrokerOutcome Run(const BrokerCall& call, const CancelToken& cancel) {
  if (call.op == BrokerOp::kCancelInteractiveFlow)
    return BrokerOutcome::Failure(codes::kInvalidRequest,
                                  "WAM has no separate cancel call: cancel() the pending call instead");
  wam::WamRequest req;
  BrokerOutcome failure;
  if (!wam::ParseWamRequest(call.op, call.payload, &req, &failure)) return failure;

  RuntimeScope runtime;
  if (!runtime.ok()) return wam::HresultFailure(codes::kOsError, "RoInitialize", runtime.hr());
  std::uint32_t timeout = call.timeout_ms;
  if (call.op == BrokerOp::kAvailability && timeout == 0) timeout = kAvailabilityTimeoutMs;
  wam::CallControl control(cancel, timeout);
  wam::Session session(call, control);
  if (!session.Activate(&failure)) return failure;
  switch (call.op) {
    case BrokerOp::kAvailability:
      return session.Availability(req);
    case BrokerOp::kInteractiveToken:
      return session.Token(req, true);
    case BrokerOp::kSilentToken:
      return session.Token(req, false);
    case BrokerOp::kAccounts:
      return session.Accounts(req);
    case BrokerOp::kSignOut:
      return session.SignOut(req);
    case BrokerOp::kCancelInteractiveFlow:
      break;
  }
  return BrokerOutcome::Failure(codes::kInternal, "unknown broker operation");
}

}  // namespace

const char* BrokerBackendName() { return "wam"; }

BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken& cancel) {
  try {
    return Run(call, cancel);
  } catch (const std::exception& e) {  // out of memory: broker.h's contract is that nothing escapes
    return BrokerOutcome::Failure(codes::kInternal, std::string("the WAM call failed: ") + e.what());
  }
}

}  // namespace entra_broker
